"""A small hand-written corpus for the story tests: three events, reported in
Indonesian and in English by outlets that each wrote their own text.

QUAKE: an earthquake on Sumbawa (5 March 2024), two Indonesian and two English reports.
TALKS: trade talks between two foreign ministers in Tokyo (12 March 2024), same mix.
QUAKE2: a second, look-alike earthquake in West Java a month later (4 April 2024).
FLOODS: two look-alike floods in two invented towns, three English reports each,
sharing a paragraph on floods in general (their topic) and little else.
OFFERS: two clubs' offers to one player, four reports each, whose bodies draw
on the same background and whose leads name different clubs (`offers`).
The names, numbers and events are invented for the tests.
"""

QUAKE = {
    "quake-id-1": (
        "Gempa bermagnitudo 6,1 mengguncang Kabupaten Bima, Nusa Tenggara Barat, pada Selasa (5/3/2024) "
        "pukul 14.20 WITA. Badan Meteorologi, Klimatologi, dan Geofisika (BMKG) mencatat pusat gempa berada "
        "di laut, 23 kilometer barat laut Bima, pada kedalaman 12 kilometer. Kepala Pusat Gempa BMKG Rahmat "
        "Wicaksono mengatakan gempa tidak berpotensi tsunami. Sedikitnya 14 orang meninggal dan 3.200 warga "
        "mengungsi ke tenda darurat di Lapangan Serasuba. Bupati Bima Indah Lestari meminta warga tetap "
        "waspada terhadap gempa susulan."
    ),
    "quake-id-2": (
        "Jumlah korban meninggal akibat gempa di Bima bertambah menjadi 14 orang. Menurut BMKG, gempa "
        "bermagnitudo 6,1 itu terjadi Selasa siang dan diikuti 27 gempa susulan. Rahmat Wicaksono dari BMKG "
        "menyebut gempa dipicu aktivitas sesar naik Flores. Ratusan rumah di Kecamatan Wera dan Ambalawi rusak "
        "berat. Pemerintah Kabupaten Bima menetapkan masa tanggap darurat selama 14 hari, sementara 3.200 "
        "pengungsi membutuhkan air bersih, selimut, dan obat-obatan."
    ),
    "quake-en-1": (
        "A magnitude 6.1 earthquake struck Bima on the island of Sumbawa on Tuesday, killing at least 14 people "
        "and forcing 3,200 residents from their homes, Indonesian officials said. The BMKG geophysics agency "
        "said the quake hit at 2:20 p.m. local time at a depth of 12 kilometres and did not trigger a tsunami "
        "warning. Rahmat Wicaksono, who heads the agency's earthquake centre, said the Flores back-arc thrust "
        "was to blame. Hundreds of houses collapsed in the Wera and Ambalawi districts."
    ),
    "quake-en-2": (
        "Rescuers in Bima searched collapsed houses on Wednesday after Tuesday's 6.1 quake, as the regency "
        "declared a 14-day emergency. Regent Indah Lestari said 3,200 people were sheltering in tents on the "
        "Serasuba field and needed clean water and blankets. The BMKG recorded 27 aftershocks. Sumbawa lies on "
        "the Flores thrust, which also caused deadly quakes on neighbouring islands in past decades."
    ),
}

TALKS = {
    "talks-id-1": (
        "Menteri Luar Negeri Jepang Haruto Sato dan Menteri Luar Negeri Brasil Paulo Mendes menandatangani "
        "perjanjian kerja sama bahan bakar nabati di Tokyo, Selasa (12/3/2024). Perjanjian itu membuka ekspor "
        "etanol Brasil ke Jepang hingga 800.000 kiloliter per tahun mulai 2026. Sato mengatakan kesepakatan "
        "tersebut membantu Jepang mengurangi emisi sektor transportasi. Mendes menyebut Jepang sebagai mitra "
        "penting bagi petani tebu Brasil."
    ),
    "talks-id-2": (
        "Jepang dan Brasil sepakat memperluas perdagangan etanol. Dalam pertemuan di Tokyo, Paulo Mendes dan "
        "Haruto Sato juga membahas investasi perusahaan Jepang di pelabuhan Santos. Kedua menteri menargetkan "
        "nilai perdagangan bilateral naik menjadi 20 miliar dolar AS pada 2028. Mendes dijadwalkan bertemu "
        "Perdana Menteri Jepang sebelum kembali ke Brasilia pada Kamis."
    ),
    "talks-en-1": (
        "Japan and Brazil signed a biofuel agreement in Tokyo on Tuesday that will let Brazilian ethanol "
        "exports to Japan reach 800,000 kilolitres a year from 2026. Foreign Minister Haruto Sato said the deal "
        "would help Japan cut transport emissions, while his Brazilian counterpart Paulo Mendes called Japan a "
        "vital partner for Brazil's sugarcane farmers. The ministers also discussed Japanese investment in the "
        "port of Santos."
    ),
    "talks-en-2": (
        "Brazil's foreign minister Paulo Mendes ended talks in Tokyo with a pledge to lift bilateral trade to "
        "$20 billion by 2028. Mendes and Japanese Foreign Minister Haruto Sato agreed on ethanol quotas and on "
        "a working group for the port of Santos, and Mendes will meet the Japanese prime minister before "
        "flying back to Brasilia on Thursday."
    ),
}

QUAKE2 = {
    "quake2-id-1": (
        "Gempa bermagnitudo 5,6 mengguncang Kabupaten Garut, Jawa Barat, pada Kamis (4/4/2024) pukul 09.15 WIB. "
        "BMKG mencatat pusat gempa berada di darat, 18 kilometer tenggara Garut, pada kedalaman 10 kilometer. "
        "Kepala Pusat Gempa BMKG Rahmat Wicaksono mengatakan gempa dipicu sesar Garsela. Sebanyak 6 orang "
        "meninggal dan 1.150 warga mengungsi. Bupati Garut Dedi Kurnia meminta warga menjauhi bangunan retak."
    ),
    "quake2-en-1": (
        "A magnitude 5.6 earthquake hit Garut in West Java on Thursday morning, killing six people and "
        "displacing 1,150, the BMKG agency said. Its earthquake centre chief Rahmat Wicaksono said the Garsela "
        "fault was to blame. Regent Dedi Kurnia told residents to stay away from cracked buildings while "
        "engineers inspected schools and a mosque in the Cisurupan district."
    ),
}


_FLOOD_TOPIC = ("The flood waters rose quickly after days of heavy rain, rescue teams used boats to reach stranded "
                "families, and forecasters warned that more storms could follow later in the week.")


def _flood(town: str, river: str, title: str, person: str, weekday: str, count: int, district: str,
           extra: str) -> list[str]:
    return [
        f"Floods hit {town} on {weekday} after the river {river} burst its banks; rescue teams evacuated {count} "
        f"residents and {title} {person} declared an emergency in {town}. {_FLOOD_TOPIC} {extra}",
        f"In {town} the {river} river flooded the {district} on {weekday}. {title.capitalize()} {person} said "
        f"{count} residents were evacuated and an emergency was declared. {extra} {_FLOOD_TOPIC}",
        f"{title.capitalize()} {person} of {town} declared an emergency on {weekday} as the {river} flooded the "
        f"{district}; {count} people were evacuated. {_FLOOD_TOPIC} {extra}",
    ]


FLOODS = {
    f"flood-{town}-{n}": text
    for town, texts in (
        ("varnholt", _flood("Varnholt", "Essel", "mayor", "Ilse Brandauer", "Monday", 300, "old town",
                            "Schools in Varnholt stay closed and the Essel bridge is shut to traffic.")),
        ("torrevella", _flood("Torrevella", "Quarn", "governor", "Pavel Kostadin", "Thursday", 120,
                              "harbour district", "The Torrevella ferry port is closed and the Quarn dam is "
                              "being inspected.")),
    )
    for n, text in enumerate(texts, 1)
}


_OFFER_BACKGROUND = [
    "The striker Halvorsen scored 31 goals and made 12 assists for Northmere last season.",
    "The striker Halvorsen scored 27 goals in the cup and the league the season before.",
    "The transfer window opened after the final and several clubs made offers for the striker.",
    "His agent Vidar Lund has said his client wants a long contract with a club that plays in Europe.",
    "The summer congress in Valmora ended without a deal for the striker.",
    "Halvorsen is considered the best forward on the market this summer.",
    "Halvorsen won the golden boot and was named player of the year by the league.",
    "The champions signed two goalkeepers earlier in the month.",
    "Lund met several owners and sporting directors during the summer congress.",
    "The striker is believed to want a contract worth more than 90 million over five years.",
]
_OFFER_LEADS = {
    "kestrel": "Kestrel City sporting director Ana Brandt confirmed a five-year offer from Kestrel to Halvorsen on Friday.",
    "ardent": "Port Ardent owner Jonas Weller and coach Mira Solberg flew to Northmere on Thursday to meet Halvorsen.",
}


def offers() -> dict[str, str]:
    """OFFERS: four reports of each club's offer, each its club's lead and seven
    background sentences in an order and choice of its own (seeded)."""
    import numpy as np

    rng = np.random.default_rng(1)
    return {f"offer-{club}-{k}": lead + " " + " ".join(rng.permutation(_OFFER_BACKGROUND)[:7])
            for club, lead in _OFFER_LEADS.items() for k in range(1, 5)}
