"""The first trial's picks, drawn once per n-gram count: the generator's own draws, whatever ran before."""

import numpy as np

from reader.text import language
from reader.text.language import detect_language


def test_picks_are_the_reseeded_generators_first_draws_after_the_weights():
    for n_rows in (1, 7, 400, 1044):
        rng = np.random.default_rng(language.SEED)
        rng.standard_normal(language.N_TRIAL)  # the trials' weights come first
        expected = rng.integers(0, n_rows, size=language.SURE_TRIAL_DRAWS)
        picks = language.first_trial_picks(language.N_TRIAL, n_rows, language.SURE_TRIAL_DRAWS)
        assert picks.tolist() == expected.tolist()
        assert not picks.flags.writeable


def test_a_detection_does_not_depend_on_the_ones_before(all_seeds):
    texts = [s.clean for s in all_seeds]
    alone = []
    for text in texts:
        language.first_trial_picks.cache_clear()
        alone.append(detect_language(text))
    assert [detect_language(text) for text in reversed(texts)] == alone[::-1]
