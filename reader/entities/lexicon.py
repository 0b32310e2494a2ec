"""Word lists that carry the recognizer's signals, per language.

These are closed-class and high-frequency words (function words, months, honorifics,
roles, organisation suffixes, common-noun acronyms), not lists of names: the names
come from the text itself and from the place gazetteer (``gazetteer.py``).
All words are stored lowercased; ``lang`` codes are ISO 639-1.
"""

from __future__ import annotations

from functools import lru_cache


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Function words and frequent sentence openers: a capitalised word from these lists at the
# start of a sentence is not a name (unless the article shows it capitalised mid-sentence).
COMMON_WORDS: dict[str, frozenset[str]] = {
    "en": _words(
        """a about above according across after afterwards again against all almost along already also
        although always am among an and another any anyone anything are around as at back be because been
        before behind being below beside besides between beyond both but by can cannot could did do does
        doing done down during each either else elsewhere enough even ever every everyone everything
        everywhere except few first for former from further had has have having he her here hers herself
        him himself his how however i if in indeed inside instead into is it its itself just last later
        latter least less let like many may maybe me meanwhile might mine more moreover most much must my
        myself near nearly neither never nevertheless new next no nobody none nor not nothing now of off
        often on once one only onto or other others otherwise our ours ourselves out outside over own
        perhaps please previously rather really same several she should since so some somehow someone
        something sometimes soon still such than that the their theirs them themselves then there
        thereafter therefore these they this those though through throughout thus to today together
        tomorrow too toward towards under unless until up upon us very was we well were what whatever
        when whenever where whereas whether which while who whoever whole whom whose why will with within
        without would yes yesterday yet you your yours yourself yourselves
        regarding concerning including excluding following despite amid amidst amongst alongside
        unlike versus whilst
        monday tuesday wednesday thursday friday saturday sunday january february march april june july
        august september october november december sept oct nov dec jan feb aug
        meanwhile unexpectedly finally previously currently recently instead still overall earlier
        here's it's that's there's what's he's she's we're they're i'm don't doesn't didn't can't won't
        police officials authorities residents witnesses investigators prosecutors sources analysts
        experts critics reports report news breaking update updated photo video watch read related
        share comments comment advertisement subscribe click see also note editor editors
        christmas easter thanksgiving halloween new year internet web covid covid-19 coronavirus
        mr mrs ms dr i'm i'd i'll i've
        yesterday today tonight tomorrow morning afternoon evening night week weekend month year
        two three four five six seven eight nine ten hundred thousand million billion
        man woman men women people family families children child police sheriff officer officers""",
    ),
    "fr": _words(
        """à a afin ai aie aient aies ait alors as au aucun aucune aujourd'hui auprès aussi autre autres aux
        avaient avais avait avant avec avez avions avoir avons ayant c' ça car ce ceci cela celle celles
        celui cependant certains certaines ces cet cette ceux chaque chez ci comme comment contre d' dans
        de depuis des dès donc dont du elle elles en encore entre est et étaient était été être eu eux
        fait faut hier il ils j' je jusqu' jusque l' la là le les leur leurs lors lorsqu' lorsque lui m'
        mais malgré me même mes moi moins mon n' ne ni non nos notre nous on ont or ou où par parce parmi
        pas pendant peu peut plus plusieurs pour pourquoi près puis qu' quand que quel quelle quelles
        quels qui quoi s' sa sans se selon ses si sien sinon soit son sont sous sur ta tandis te tes
        toi ton tous tout toute toutes très tu un une vers via voici voilà vos votre vous y
        ainsi après aussi autant certes cependant d'abord désormais enfin ensuite finalement néanmoins
        pourtant toutefois également seulement surtout déjà demain aujourd'hui bref reste moins sauf
        lundi mardi mercredi jeudi vendredi samedi dimanche janvier février mars avril mai juin juillet
        août septembre octobre novembre décembre
        crédits crédit photo vidéo lire aussi mise jour publié commentaires commentaire abonnez-vous
        noël pâques
        deux trois quatre cinq six sept huit neuf dix cent mille million millions milliard milliards
        selon outre face grâce lors""",
    ),
    "de": _words(
        """aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes
        auch auf aus bei bin bis bist da damit dann das dass daß dein deine dem den der des dessen dich
        die dies diese dieselbe diesem diesen dieser dieses dir doch dort du durch ein eine einem einen
        einer eines einig einige einigem einigen einiger einiges einmal er es etwas euch euer eure für
        gegen gewesen hab habe haben hat hatte hatten hier hin hinter ich ihm ihn ihnen ihr ihre ihrem
        ihren ihrer ihres im in indem ins ist jede jedem jeden jeder jedes jene jenem jenen jener jenes
        jetzt kann kein keine keinem keinen keiner keines können könnte machen man manche manchem
        manchen mancher manches mein meine mit muss musste nach nicht nichts noch nun nur ob oder ohne
        schon sehr sein seine seinem seinen seiner seines selbst sich sie sind so solche solchem solchen
        solcher soll sollte sondern sonst über um und uns unser unsere unter viel vom von vor während
        war waren warum was weg weil weiter welche welchem welchen welcher welches wenn werde werden
        wie wieder will wir wird wirst wo wollen wollte würde würden zu zum zur zwar zwischen
        heute gestern morgen laut zudem außerdem bereits damals derzeit inzwischen jedoch trotzdem
        montag dienstag mittwoch donnerstag freitag samstag sonntag januar februar märz april mai juni
        juli august september oktober november dezember
        zwei drei vier fünf sechs sieben acht neun zehn millionen milliarden prozent euro
        weihnachten ostern""",
    ),
    "es": _words(
        """a al algo algunas algunos ante antes como con contra cual cuando de del desde donde durante e el
        ella ellas ellos en entre era es esa esas ese eso esos esta está están estas este esto estos fue
        fueron ha han hasta hay la las le les lo los más me mi mientras muy nada ni no nos nosotros o
        otra otras otro otros para pero poco por porque que quien quienes se según ser si sí sin sobre
        su sus también tanto te todo todos tras tu un una uno unos y ya además aunque así después
        entonces hoy ayer mañana sin embargo luego
        lunes martes miércoles jueves viernes sábado domingo enero febrero marzo abril mayo junio julio
        agosto septiembre octubre noviembre diciembre
        dos tres cuatro cinco seis siete ocho nueve diez millones navidad""",
    ),
    "pt": _words(
        """a à ao aos as às até com como da das de dela dele deles depois do dos e é ela elas ele eles em
        entre era essa essas esse esses esta está estão estas este estes eu foi foram há isso isto já
        la lhe lhes mais mas me mesmo meu minha muito na não nas nem no nos nós o os ou para pela pelas
        pelo pelos por porque quando que quem se sem ser seu seus sobre sua suas também te tem têm tu
        um uma umas uns você vocês além assim ainda após hoje ontem amanhã segundo contudo porém
        segunda terça quarta quinta sexta sábado domingo janeiro fevereiro março abril maio junho julho
        agosto setembro outubro novembro dezembro
        dois duas três quatro cinco seis sete oito nove dez milhões natal""",
    ),
    "it": _words(
        """a ad agli ai al alla alle allo anche avere che chi ci come con contro cui da dal dalla dalle
        degli dei del della delle dello di dopo dove e è ed gli ha hanno il in io la le lei li lo loro
        lui ma mentre mi ne nei nel nella nelle nello noi non o per perché più poi quale quando quella
        quelle quello questa queste questo se sei si sia siamo sono su sua sue sui sul sulla suo suoi
        tra tu tutti tutto un una uno voi inoltre oggi ieri domani secondo tuttavia però ancora già
        lunedì martedì mercoledì giovedì venerdì sabato domenica gennaio febbraio marzo aprile maggio
        giugno luglio agosto settembre ottobre novembre dicembre
        due tre quattro cinque sei sette otto nove dieci milioni natale""",
    ),
    "nl": _words(
        """aan al als bij dan dat de deze die dit door een en er had heb hebben heeft het hij hoe hun ik
        in is ja je kan maar me met mij na naar niet nog nu of om omdat ons ook op over te tegen toen tot
        uit van veel voor want was wat we wel werd wie wij worden zal ze zei zich zij zijn zo zoals""",
    ),
}

# Days and months: capitalised in English (and nouns in German) but never a name alone, and
# not part of a name that follows them ("Saturday September 19th").
CALENDAR_WORDS: frozenset[str] = _words(
    """monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec
    lundi mardi mercredi jeudi vendredi samedi dimanche janvier février mars avril mai juin juillet
    août septembre octobre novembre décembre montag dienstag mittwoch donnerstag freitag samstag
    sonntag januar februar märz juni juli oktober dezember lunes martes miércoles jueves viernes
    sábado domingo enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre
    diciembre segunda terça quarta quinta sexta janeiro fevereiro março maio junho julho setembro
    outubro novembro dezembro lunedì martedì mercoledì giovedì venerdì sabato domenica gennaio
    febbraio aprile maggio giugno luglio settembre ottobre dicembre"""
)



@lru_cache(maxsize=32)
def calendar_words(lang: str | None) -> frozenset[str]:
    """The days and months of a language and of English (all languages when unknown): "Mayo" is
    a month in Spanish, not in "the Mayo Clinic"; "Domingo" a day, not in "Placido Domingo"."""
    if not lang or lang not in COMMON_WORDS:
        return CALENDAR_WORDS
    return frozenset(w for w in CALENDAR_WORDS if w in COMMON_WORDS[lang] or w in COMMON_WORDS["en"] or w in _ENGLISH_CALENDAR)


_ENGLISH_CALENDAR = _words("monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec")

# First words of places named by a direction or a description ("Southern Alps", "Old Trafford",
# "North Shore"): a name they open, with no other cue, is a place rather than a person.
PLACE_OPENERS: frozenset[str] = _words(
    """north south east west northern southern eastern western central upper lower greater old great grand
    fort port mount mt. lake saint st. st san santa nord sud est ouest"""
)

# Lowercase particles that may sit inside a personal or place name between two capitalised
# words ("Charles de Gaulle", "Ludwig van Beethoven", "Porte de Versailles").
NAME_PARTICLES: frozenset[str] = _words(
    """de du des d' la le van von der den ter ten zu da do dos das di del della dei degli bin ibn al
    el al- el-"""
)

# Connectors that join capitalised words into one name only after an organisation or place
# head word ("Department of Justice", "Gulf of Aden", "Bank of America", "Center for ...").
HEAD_CONNECTORS: frozenset[str] = _words("of for on the and & at")

# Words that head an organisation or place name followed by a connector and more capitals.
ORG_HEADS: frozenset[str] = _words(
    """department ministry university bank academy institute federation union association society
    council commission committee board office agency bureau court house chamber church school college
    center centre centers centres institutes museum foundation league party government state states republic kingdom
    organisation organization corporation company fund federal national international royal
    secretary administration authority service services division conference alliance coalition
    ministère ministre université banque académie institut fédération association société conseil
    commission comité bureau cour chambre église école collège centre musée fondation ligue parti
    gouvernement état république royaume organisation compagnie fonds département agence maison
    journal groupe caisse assemblée sénat tribunal
    ministerium universität bank akademie institut verband gesellschaft rat kommission gericht kirche
    schule hochschule zentrum museum stiftung partei regierung bundesamt amt
    ministerio universidad banco academia instituto federación asociación sociedad consejo comisión
    comité tribunal iglesia escuela colegio centro museo fundación partido gobierno
    ministério universidade banco academia instituto federação associação sociedade conselho comissão
    ministero università banca accademia istituto federazione associazione società consiglio
    commissione chiesa scuola museo fondazione partito governo"""
)

PLACE_HEADS: frozenset[str] = _words(
    """gulf sea ocean mount mt mt. lake river bay island islands isle cape strait valley desert
    mountains mountain peninsula canal coast port street avenue road square bridge park
    province county district region city town township village borough hill hills heights beach falls
    springs creek harbor harbour glacier pass point grove ridge canyon forest woods plateau range
    lane drive boulevard highway route interstate trail hut corridor zone expressway freeway parkway
    motorway turnpike tunnel palace castle cathedral temple mosque synagogue tower abbey chapel basilica
    monument memorial plaza mall cemetery garden gardens
    theatre theater stadium arena airport station hotel
    golfe mer océan mont lac fleuve rivière baie île îles cap détroit vallée désert montagne montagnes
    péninsule canal côte port rue avenue boulevard place pont parc porte province comté région ville
    golf meer see berg fluss insel kap tal wüste gebirge straße strasse platz brücke
    golfo mar océano monte lago río isla cabo valle desierto calle avenida plaza puente
    oceano rio ilha vale deserto rua praça ponte
    oceano fiume isola capo valle deserto via piazza ponte"""
)

# Last words that make a capitalised sequence an organisation.
ORG_SUFFIXES: frozenset[str] = _words(
    """inc inc. corp corp. corporation co co. ltd ltd. llc plc ag gmbh sa s.a. sas sarl nv bv spa
    s.p.a. group holdings holding company companies partners capital securities bank bancorp
    airlines airways motor motors industries technologies technology systems labs laboratories software
    networks network media news times post journal herald tribune gazette telegraph guardian
    press agency associated broadcasting television radio records studios entertainment pictures
    foundation institute university college school academy association society union federation
    league party council committee commission ministry department agency bureau office court
    parliament congress senate assembly government administration navy army police force forces
    guard command hospital clinic church club team fc united sciences house global international caucus
    conference division service services patrol rescue unit squad brigade corps authority trust
    board alliance coalition movement organisation organization watch cross crescent fleet
    battalion regiment bros bros.
    worldwide
    advisors advisers associates consultants consulting financial distribution logistics insurance
    investments ventures enterprises pharmaceuticals
    reporter chronicle observer examiner inquirer courier dispatch bulletin sentinel recorder magazine
    newswire music
    groupe société banque compagnie presse journal ministère conseil assemblée université
    gruppe bank zeitung verlag partei ministerium
    grupo banco compañía partido ministerio
    banca gruppo compagnia partito"""
)

# Last words that make a capitalised sequence an event, award or work (typed OTHER).
OTHER_SUFFIXES: frozenset[str] = _words(
    """awards award prize cup championship championships games olympics festival expo show summit war
    act treaty accord agreement prix coupe festival salon traité loi bowl marathon derby olympiad
    index average composite spring revolution uprising massacre"""
)

# Name suffixes of people ("Anthony LaCalamita III", "Martin Luther King Jr.").
PERSON_SUFFIXES: frozenset[str] = _words("jr jr. sr sr. ii iii iv")

# Prefixes of ship names ("INS Sukanya", "USS Enterprise"): the name is typed OTHER.
VESSEL_PREFIXES: frozenset[str] = _words("ins uss hms hmas mv ms rms ss fs")

# First words of named events ("Hurricane Katrina", "Operation Desert Storm"): typed OTHER.
EVENT_PREFIXES: frozenset[str] = _words("hurricane typhoon cyclone operation ouragan typhon cyclone opération")

# Religions, ethnic and political groups, and words derived from them, alone ("Jews",
# "Islamist insurgents", "Republicans"): typed OTHER, like nationality words.
GROUP_WORDS: frozenset[str] = _words(
    """muslim muslims christian christians jew jews jewish islamic islamist islamists catholic catholics
    protestant protestants evangelical evangelicals hindu hindus buddhist buddhists sikh sikhs sunni
    sunnis shia shiite shiites arab arabs kurd kurds kurdish latino latinos latina latinas hispanic
    hispanics democrat democrats republican republicans communist communists socialist socialists
    musulman musulmans musulmane musulmanes chrétien chrétiens juif juifs juive catholique catholiques"""
)

# Honorifics and roles: before a name they make it a PERSON and are not part of the span.
PERSON_TITLES: frozenset[str] = _words(
    """mr mr. mrs mrs. ms ms. miss dr dr. prof prof. sir dame lord lady
    president vice-president chairman chairwoman chair ceo cfo coo cto founder cofounder
    co-founder chief executive minister secretary senator sen. sen representative rep. rep
    commander admiral major inspector constable const. trooper deputy superintendent marshal prosecutor
    governor gov. gov mayor judge attorney general gen. gen colonel col. captain capt.
    lieutenant lt. sergeant sgt. officer detective sheriff commissioner chancellor premier
    king queen prince princess pope cardinal bishop archbishop rev. reverend father sister brother
    coach manager director spokesman spokeswoman spokesperson analyst anchor correspondent
    reporter editor actor actress singer comedian host star player striker quarterback
    receiver tackle lineman defender goalkeeper pitcher surgeon doctor nurse professor
    m. mme mme. mlle mlle. me président présidente vice-président ministre sénateur sénatrice
    député députée maire juge général colonel capitaine docteur professeur
    herr frau präsident präsidentin kanzler kanzlerin bundeskanzler bundeskanzlerin minister
    ministerin bürgermeister bürgermeisterin
    sr. sra. sr sra don doña presidente presidenta ministro ministra alcalde alcaldesa senador
    senadora diputado diputada prefeito prefeita deputado deputada
    sig. sig.ra signor signora onorevole sindaco
    author novelist journalist columnist activist economist historian philosopher scientist artist
    undersheriff treasurer ambassador envoy congressman congresswoman councilman councilwoman
    councillor councilor assemblyman assemblywoman rabbi imam pastor sheikh emir sultan ayatollah
    ambassadeur ambassadrice"""
)

# Lowercase nouns for people: before a capitalised name they make it a person
# ("his wife Portia", "receiver Vincent Jackson", "son épouse Brigitte").
PERSON_NOUNS: frozenset[str] = _words(
    """wife husband son daughter brother sister mother father grandmother grandfather uncle aunt cousin
    nephew niece partner girlfriend boyfriend widow widower fiancé fiancée friend colleague neighbour
    neighbor suspect victim driver witness resident student teacher lawyer prosecutor defendant
    spokesman spokeswoman spokesperson actor actress singer comedian rapper musician writer author
    director producer player striker receiver lineman quarterback tackle guard forward goalkeeper
    coach neurosurgeon surgeon physician doctor officer detective sergeant constable inspector
    popstar superstar rockstar model designer chef artist painter poet novelist journalist columnist
    blogger activist campaigner politician lawmaker candidate nominee billionaire businessman
    businesswoman entrepreneur tycoon investor banker economist scientist researcher biologist
    palaeontologist paleontologist historian philosopher priest athlete cyclist boxer golfer swimmer
    sprinter gymnast skier climber mountaineer
    femme mari fils fille frère sœur mère père épouse époux ami amie collègue avocat avocate
    chanteur chanteuse acteur actrice joueur entraîneur
    frau mann sohn tochter bruder schwester mutter vater
    esposa esposo hijo hija hermano hermana madre padre
    esposa marido filho filha irmão irmã mãe pai"""
)

# Words before a title that make it a work ("her album Folklore", "the film Vice", "titled Don't
# Look Up"): the name after them is typed OTHER, as a quoted title is.
WORK_NOUNS: frozenset[str] = _words(
    """album film movie book novel song documentary opera musical sitcom series titled entitled
    film roman livre chanson documentaire série intitulé intitulée"""
)

# Verbs of travel before "to": "flew to Wanaka", "was airlifted to Dunedin" (a place follows).
TRAVEL_VERBS: frozenset[str] = _words(
    """flew flown flying travelled traveled traveling travelling drove driven driving airlifted evacuated
    sailed deported extradited relocated"""
)

# Prepositions after which a capitalised word of unknown kind is most often a place.
PLACE_PREPOSITIONS: frozenset[str] = _words("in near outside across throughout dans près en im nahe cerca perto vicino")

# Verbs that follow a name as subject: a capitalised word before them is a noun, not an adjective.
VERBS_AFTER_NAMES: frozenset[str] = _words(
    """said says told added asked announced has had have is was were will would can could did does
    may might must should and or but who which that to of in on at for with by from"""
)

# Title words that are part of a role phrase ("Surgeon General", "Prime Minister") rather
# than a name: capitalised, they still end a name sequence.
ROLE_WORDS: frozenset[str] = PERSON_TITLES | _words(
    """prime first deputy assistant senior junior acting interim former elect general surgeon
    executive officer managing head secretary-general premier leader speaker whip majority minority"""
)

# Portfolios named before a role ("Interior Minister", "Health Secretary"): with the role, no name.
PORTFOLIO_WORDS: frozenset[str] = _words(
    """foreign interior defence defense finance health home justice education energy environment
    trade economy transport culture labour labor agriculture treasury security intelligence
    communications housing immigration district county state city town police fire"""
)

# All-caps abbreviations that are common nouns, not names (never typed as entities alone).
COMMON_ACRONYMS: frozenset[str] = _words(
    """ceo cfo coo cto cio md phd mba gdp gnp ipo vat tva pib pdg dg rh erp crm bi ai it hr ok tv pc
    sms usb pdf html http https www url faq dna rna hiv aids covid sars dui dwi bac rip pm am gmt
    utc est pst cet usd eur gbp jpy kg km mph pct vs etc id iq pr ad bc ce ps nb cv hd vr ar
    api cpu gpu ssd ram rom lcd led gps diy ufo qr
    iaas paas saas b2b b2c rpa ml nlp ux ui seo
    dmat
    mvp mp gm dj"""
)

# Awards known by a name of their own, alone or last in a longer name ("the Oscars", "an Emmy",
# "Primetime Emmy"): typed OTHER like "... Award" and "... Prize".
AWARD_NAMES: frozenset[str] = _words(
    """oscar oscars emmy emmys grammy grammys tonys bafta baftas pulitzer pulitzers globe globes
    césar césars goya goyas"""
)

# Words before a place name that introduce it as a place ("in Jordan", "to Georgia"): there a
# lone place is the place even when a person of the article bears its name.
PLACE_INTRODUCERS: frozenset[str] = PLACE_PREPOSITIONS | _words(
    """to from of at into toward towards via visit visited visiting across border borders
    à de vers depuis"""
)

# Sports reporting (English), for teams named by their place (``teams.py``). Strong words
# rarely occur outside sport; weak ones do, so they count half.
SPORTS_WORDS: frozenset[str] = _words(
    """coach coaches coached playoff playoffs league nba nfl nhl mlb mls wnba ncaa fifa uefa
    quarterback quarterbacks striker strikers goalkeeper midfielder touchdown touchdowns innings
    inning halftime overtime rebounds standings roster pitcher referee championship tournament
    postseason preseason offseason defenseman linebacker shortstop bullpen penalty penalties
    semifinal semifinals quarterfinal quarterfinals"""
)
SPORTS_WEAK_WORDS: frozenset[str] = _words(
    """season seasons game games match matches team teams fans stadium scored score goal goals
    win wins won loss losses victory defeat player players club clubs seed record"""
)

# Words before a place that make it a contestant ("against Washington", "beat Detroit").
CONTEST_BEFORE: frozenset[str] = _words(
    """against vs vs. versus beat beats beating defeated defeat defeats defeating edged edge edges
    routed rout trounced topped downed blanked swept sweep outscored hosts hosted hosting host
    face faces faced facing play plays played playing tied joined joins rejoined led leads
    coached coaches coaching captained"""
)

# Two words before a place that make it a contestant: link word -> the words that may precede it
# ("loss to Detroit", "win over Toronto").
CONTEST_LINKS: dict[str, frozenset[str]] = {
    "to": _words("loss losses lost lose losing fell falls falling defeat defeats bowed setback setbacks traded dealt"),
    "over": _words("win wins won victory victories triumph edge lead"),
    "for": _words(
        "play plays played playing starred starring signed starter yards points goals touchdowns catches season seasons games starts"
    ),
    "with": _words("signed signs re-signed season seasons career contract deal stint tenure"),
    "of": _words("coach coaches owner owners"),
    "by": _words("drafted signed released waived acquired cut traded claimed"),
}

# Words right after a place that make it a contestant ("Cleveland beat ...", "Toronto rallied").
CONTEST_AFTER: frozenset[str] = _words(
    """beat beats defeated edged edges routed trounced topped downed blanked rallied clinched
    outscored swept won lost leads led trailed trails tied host hosts visit visits"""
)

# A player's or a team's roles right after a place or its possessive ("Minnesota's coach",
# "Atlanta free agent Josh Smith", "the San Antonio guard").
SPORTS_ROLES: frozenset[str] = _words(
    """coach head quarterback striker goalkeeper pitcher forward guard center defender midfielder
    manager owner roster offense defense lineup receiver linebacker cornerback running tight
    free rookie player players teammate teammates captain wide defensive offensive point shooting
    starting backup reserve general front franchise organization organisation squad club team
    spokesman spokeswoman boss"""
)

# Appositives and possessives that type the name before them (English): "Gordon Advisors, a
# public accounting firm", "Troy, a Detroit suburb", "Jackson's wife", "Acme's shares".
APPOSITIVE_ORG_NOUNS: frozenset[str] = _words(
    """company firm group maker manufacturer producer agency organization organisation network chain
    retailer supplier startup start-up bank airline carrier newspaper magazine website charity nonprofit
    non-profit university college school hospital clinic club team band party union association
    foundation institute distributor provider operator developer publisher broadcaster studio label
    brand subsidiary conglomerate insurer lender outlet"""
)
# Words for an organisation just before its name ("the Norwegian newspaper Verdens Gang", "the
# militant group Hamas", "the carmaker Renault").
ORG_NOUNS_BEFORE_NAMES: frozenset[str] = _words(
    """newspaper magazine tabloid broadcaster channel network website company firm group carmaker
    automaker retailer airline carrier bank insurer lender startup start-up charity organisation
    organization agency club band label publisher studio conglomerate daily weekly journal"""
)
APPOSITIVE_PLACE_NOUNS: frozenset[str] = _words(
    """city town village suburb county state province region country island neighborhood neighbourhood
    district municipality township borough capital port community hamlet"""
)
APPOSITIVE_PERSON_NOUNS: frozenset[str] = PERSON_NOUNS | _words(
    """man woman boy girl teenager teen resident native mother father veteran executive founder
    chairman chairwoman president senator governor mayor minister star"""
)
POSSESSED_BY_PERSONS: frozenset[str] = _words(
    """wife husband son sons daughter daughters mother father brother sister parents children family
    girlfriend boyfriend fiancée fiancé widow lawyer attorney agent career death funeral birthday
    administration campaign nomination arrest speech remarks comments tweet tweets presidency inauguration
    re-election"""
)
POSSESSED_BY_ORGS: frozenset[str] = _words(
    """shares stock headquarters subsidiary subsidiaries shareholders employees customers revenue
    revenues profit profits earnings"""
)

# Words that are capitalised in German prose as nouns: German capitalises every noun, so a
# capitalised word there is a much weaker name signal (handled by the recognizer).
NOUN_CAPITALISING_LANGS: frozenset[str] = frozenset({"de", "lb"})

LANGS: tuple[str, ...] = tuple(COMMON_WORDS)


@lru_cache(maxsize=32)
def common_words(lang: str | None) -> frozenset[str]:
    """Common words for a language, English always included (news quotes English names)."""
    words = set(COMMON_WORDS["en"])
    if lang and lang in COMMON_WORDS:
        words |= COMMON_WORDS[lang]
    elif not lang:
        for extra in COMMON_WORDS.values():
            words |= extra
    return frozenset(words)
