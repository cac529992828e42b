"""The stop words of PostgreSQL's ``french`` and ``dutch`` text-search configurations
(Snowball's lists, as shipped in ``tsearch_data/*.stop``), so that the SQLite fallback
drops the same query words as PostgreSQL does. A word is compared unaccented and
lower-cased, as both backends see it; the accented entries therefore never match,
exactly as on PostgreSQL, where ``unaccent`` runs before the stop-word check."""

FRENCH = frozenset(
    """
ai aie aient aies ait as au aura aurai auraient aurais aurait auras aurez auriez aurions
aurons auront aux avaient avais avait avec avez aviez avions avons ayant ayante ayantes
ayants ayez ayons c ce ces d dans de des du elle en es est et eu eue eues eurent eus
eusse eussent eusses eussiez eussions eut eux eûmes eût eûtes furent fus fusse fussent
fusses fussiez fussions fut fûmes fût fûtes il j je l la le leur lui m ma mais me mes
moi mon même n ne nos notre nous on ont ou par pas pour qu que qui s sa se sera serai
seraient serais serait seras serez seriez serions serons seront ses soient sois soit
sommes son sont soyez soyons suis sur t ta te tes toi ton tu un une vos votre vous y à
étaient étais était étant étante étantes étants étiez étions été étée étées étés êtes
""".split()  # noqa: SIM905
)

DUTCH = frozenset(
    """
aan al alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door
dus een eens en er ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun
iemand iets ik in is ja je kan kon kunnen maar me meer men met mij mijn moet na naar
niet niets nog nu of om omdat onder ons ook op over reeds te tegen toch toen tot u uit
uw van veel voor want waren was wat werd wezen wie wil worden wordt zal ze zelf zich zij
zijn zo zonder zou
""".split()  # noqa: SIM905
)
