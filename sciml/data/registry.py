"""Registry of the real data sets sciml uses: files, upstream URLs, sha256, licence, citation.

The pinned sha256 values are those of the verified copies distributed in the offline mirror
(`SCIML_DATA_MIRROR`). Where a mirror copy was rebuilt and therefore differs byte-wise from the
upstream original (some MIT-BIH records), downloads are verified against the checksum list the
upstream publishes (`upstream_checksums`) instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

_HIC_YEAST_10KB_FILES = {
    "yeast.10kb.cool": "67434919759c5b389227e2887b928f873f39f6c68b398e225e818838769a2104",
}
_IENHANCER_2L_FILES = {
    "train_enhancers.fa": "fe8f0d506556d2ac180ad68e965b69f67b71751e245651d8a903d979ae1495a2",
    "train_nonenhancers.fa": "e632a2f3d66bd62186bcdf91a5fad86a409a0615a3808b199c0addf092af5aba",
    "train_strong_enhancers.fa": "ac3f9aa7b1b567fc455756b51b0f7d0c405d0e499dd05b92a9b531b0e23e9c8d",
    "train_weak_enhancers.fa": "88e13ba8352367cf153b7f2739c36c5f5842b2c8ef4f1384a0fbaffc79e467a3",
}
_KOO_IRF1_CHIPSEQ_FILES = {
    "IRF1_400_h3k27ac.h5": "bde3a684307494cdc4a584177f317ee6e2f9462f35a9b944f2acf85cb2d07b64",
}
_MITDB_FILES = {
    "100.atr": "8d8a5349fb16638ebbf649f1779d12e96d91b736b2aafe59db43719ae583d471",
    "100.dat": "b2ea3c250e56e48f4b7b90697832b8ecd1afa1e0bb31f2dcfea4ed6e1075a639",
    "100.hea": "db882392a66ccc4dee10104082cffa1a6f7fd9dd7d55c281c8345b3c7b9a2a6f",
    "101.atr": "441cdd6486cfdf4c53e344d1048ab81296773e7058d53069022adc68543a0663",
    "101.dat": "698d1ea6f472d23ca50317c72c96cda2698badd8578220ed0380cdf241e39006",
    "101.hea": "d5f02fbe8673fa05465442191b98ca0d28a1670e7ef0e83fb9ef8723113a311c",
    "102.atr": "f65283dd3ee6ca4a672adb7e2065574d5555fbf167884a74346e0b43c3d22c05",
    "102.dat": "d5c0ed8d5c69a974858edd77c78cdebc57c81c8701d55b7b1d0f08b1bba78544",
    "102.hea": "dabdd9641dd833af79790e6ab53a5d7a6aa35e5bf5370971c4a276994f827ec7",
    "104.atr": "d0a75005534a1d1e2b3fd8f5752c9c1fa2f22178c32d7197619a36ad9af63512",
    "104.dat": "aeb19bd805996167c6edd8f1b1a659486c0cbad101f06f1426548784d9634354",
    "104.hea": "6ea56aac64cbe19e8981fb52191f7363a956980fd885f45c48fbde1de712600b",
    "106.atr": "551effe85653028632b0acbc9e3446b1565bf0ed00256f8a98bb004f2ab8e9d2",
    "106.dat": "c017bc18b95b1f970bca143a044ee5d54168648b541e47aa656f2737a59c1202",
    "106.hea": "edda68c7de6d1101b23d4f71822dd5660f48db02e8184e048a617a2d60addfe0",
    "108.atr": "d6eb3b893d83fade9d4dd8dc95357e99d53eb7504dbddf2e9d59842e2564ad79",
    "108.dat": "229a4ef62679dc5c6ea781bfbaec2bd784151fc9f9517f4cdecd533a9431eb20",
    "108.hea": "2cb0924c50f6e1a5b48c77150cc4da07831ca0eb93d1d5f0a13341b834832c69",
    "113.atr": "ba003885a1485c67d99b49dce46342c4871f3321cbc89cc932d799395bbb4e0d",
    "113.dat": "f5509b71dabaaa11c53f687ee17aab0071bce3d471e2ab77c71a6434f5b7aacf",
    "113.hea": "6b5f87ceafafd52f7748fd514eac10a2ec314486ae83586c6e87845344bf4d8f",
    "114.atr": "484d7458c31b428563871c4dc532a9fd695f1df859aca1a0fdeefc6dada3d24d",
    "114.dat": "77c2c41e62f76feafee79969a6726fe6bb368f6e2fd98b166dfce2cefa8fab0c",
    "114.hea": "4e466215cfba957d591fa061388822e878e4faccae5698c81571750b20efc941",
    "116.atr": "fc703c55f4c8d004dca741177eef2a9f39a47a7795bd5f20ba1dd040612b595a",
    "116.dat": "f38edfb99f4e623f33e89440c7478997ac71ffae67d559576a4fd7b09438dcfa",
    "116.hea": "2919fd5b64fb7ff1802f1bcc436f9e46ade3a0b1ed5c6913f947f9f959435e15",
    "119.atr": "7d46710a2e2344087a38521fa57e47e32fd1dd02ba5368dea6d7e599f71ffc6a",
    "119.dat": "41636c7ab1576b91a067657a7de8e1843655219a7735ac221f172abfde6eb5a5",
    "119.hea": "b8b53c51043a5b17b861ef6153b25593c325a9651ed29d91f0683818e4c3f790",
    "123.atr": "5c0db442bc5ed9715c9e7002e23c6ab213c0dfba6c4390199b776dfa039e725f",
    "123.dat": "4eada08c463164d4c11e4039bbfe2c01a11f5865e20686cbd631452981ec1e9d",
    "123.hea": "2a79849d5accd03a9b183202ee3b41c59e0f22b36d4193458796c7a15fa2a8ae",
    "202.atr": "02029243b50fd3c641ff2c5d9b1f5ba766563b98ae110768b2be035ec9191e9a",
    "202.dat": "0c990e4142de6be898de4b21bd6e6705cd567e5d97cb731a994dc5aee9c7142d",
    "202.hea": "71616890d196c37a79698e5d893fbe8231ea28c65fab3efea0ce3a329ec96dc8",
    "223.atr": "1f7565096efd22d1c442ccf9702c403ce18d202f0848b7fbf2e6273444634e28",
    "223.dat": "1d42aa9e13f7349287ae5f0f00b40078c01aadd39e2cad1001ab42d3b7484594",
    "223.hea": "85bd13b12e47a7bbd6d0d128871625b92af860b87c323cbc13cc6da4bf70f0b4",
    "231.atr": "a333c4d2a79fd01f172fea840cc72549284f1c40dff19f00b7453d24b658c0e7",
    "231.dat": "7d4f56d6c4b1d50322154381c1d8761457c2f2696973e915a3c19d8a5b789595",
    "231.hea": "6f8ccd0513d10e455e587a5562b3bc14cd90358acf79d117a13076fe4d07a4c6",
}
_PINN_REFERENCE_FILES = {
    "AC.mat": "266e97eedd9ef543d7f6d370fa5f06388761aa7da2b97e476562dcf1d644a175",
    "burgers_shock.mat": "f4d11e6798b8d29b6829984952b04adcc470d9bf70dd7e56c7985cd8e316c4bf",
}

# All 48 MIT-BIH Arrhythmia records; the mirror holds 14 of them.
MITDB_ALL_RECORDS: tuple[str, ...] = tuple(
    str(r)
    for r in (
        100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 111, 112, 113, 114, 115, 116,
        117, 118, 119, 121, 122, 123, 124, 200, 201, 202, 203, 205, 207, 208, 209, 210,
        212, 213, 214, 215, 217, 219, 220, 221, 222, 223, 228, 230, 231, 232, 233, 234,
    )
)


@dataclass(frozen=True)
class DataSet:
    """One registered data set.

    Attributes
    ----------
    name : registry key, also the folder name under the mirror and under `data/raw/`.
    files : pinned file name -> sha256 (the mirror's verified copies).
    url_base : download prefix; a file's URL is `url_base + file`.
    downloadable : extra files that only a download provides (e.g. the other MIT-BIH records).
    remote_paths : file -> path under `url_base`, where the upstream layout differs from the flat one.
    upstream_checksums : URL of the upstream `sha256  file` list used to verify downloads, if any.
    """

    name: str
    description: str
    files: dict[str, str]
    url_base: str
    homepage: str
    licence: str
    citation: str
    downloadable: tuple[str, ...] = field(default_factory=tuple)
    upstream_checksums: str | None = None
    remote_paths: dict[str, str] = field(default_factory=dict)

    def url(self, file: str) -> str:
        """Download URL of one file."""
        return self.url_base + self.remote_paths.get(file, file)

    def all_files(self) -> tuple[str, ...]:
        """Every file name a download can provide: the pinned ones first, then the extra ones."""
        extra = tuple(f for f in self.downloadable if f not in self.files)
        return tuple(self.files) + extra


REGISTRY: dict[str, DataSet] = {
    ds.name: ds
    for ds in (
        DataSet(
            name="mitdb",
            description="MIT-BIH Arrhythmia Database 1.0.0 (360 Hz, format 212, expert beat annotations)",
            files=_MITDB_FILES,
            url_base="https://physionet.org/files/mitdb/1.0.0/",
            homepage="https://physionet.org/content/mitdb/1.0.0/",
            licence="ODC-By 1.0",
            citation=(
                "Moody GB, Mark RG. The impact of the MIT-BIH Arrhythmia Database. IEEE Eng Med Biol "
                "20(3):45-50 (2001); Goldberger AL et al. PhysioNet. Circulation 101(23):e215-e220 (2000)."
            ),
            downloadable=tuple(f"{r}.{ext}" for r in MITDB_ALL_RECORDS for ext in ("hea", "dat", "atr")),
            upstream_checksums="https://physionet.org/files/mitdb/1.0.0/SHA256SUMS.txt",
        ),
        DataSet(
            name="iEnhancer-2L",
            description="iEnhancer-2L benchmark training set (layer 1 and layer 2, 200 bp)",
            files=_IENHANCER_2L_FILES,
            url_base=(
                "https://raw.githubusercontent.com/lhy0322/iEnhancer-BERT/main/"
                "examples/data_process_template/data/"
            ),
            remote_paths={
                "train_enhancers.fa": "layer1/train_enhancers.fa",
                "train_nonenhancers.fa": "layer1/train_nonenhancers.fa",
                "train_strong_enhancers.fa": "layer2/train_strong_enhancers.fa",
                "train_weak_enhancers.fa": "layer2/train_weak_enhancers.fa",
            },
            homepage="https://github.com/lhy0322/iEnhancer-BERT",
            licence="MIT",
            citation="Liu B et al. iEnhancer-2L. Bioinformatics 32(3):362-369 (2016).",
        ),
        DataSet(
            name="koo-irf1-chipseq",
            description="IRF1 ChIP-seq peaks vs H3K27ac background, one-hot (N, 4, 400), train/valid/test",
            files=_KOO_IRF1_CHIPSEQ_FILES,
            url_base="https://raw.githubusercontent.com/p-koo/exponential_activations/master/data/",
            homepage="https://github.com/p-koo/exponential_activations",
            licence="MIT",
            citation=(
                "Koo PK, Ploenzke M. Improving representations of genomic sequence motifs in "
                "convolutional networks with exponential activations. Nat Mach Intell 3:258-266 (2021)."
            ),
        ),
        DataSet(
            name="hic-yeast-10kb",
            description="Real S. cerevisiae Hi-C at 10 kb (1,226 bins, ~115 M contacts, balanced)",
            files=_HIC_YEAST_10KB_FILES,
            url_base="https://raw.githubusercontent.com/open2c/cooler/master/tests/data/",
            homepage="https://github.com/open2c/cooler",
            licence="BSD-3-Clause",
            citation="Abdennur N, Mirny LA. Cooler: scalable storage for Hi-C data. Bioinformatics 36(1):311-316 (2020).",
        ),
        DataSet(
            name="pinn-reference",
            description="Burgers (burgers_shock.mat) and Allen-Cahn (AC.mat) reference solutions",
            files=_PINN_REFERENCE_FILES,
            url_base="https://raw.githubusercontent.com/maziarraissi/PINNs/master/",
            remote_paths={"burgers_shock.mat": "appendix/Data/burgers_shock.mat", "AC.mat": "main/Data/AC.mat"},
            homepage="https://github.com/maziarraissi/PINNs",
            licence="MIT",
            citation=(
                "Raissi M, Perdikaris P, Karniadakis GE. Physics-informed neural networks. "
                "J Comput Phys 378:686-707 (2019)."
            ),
        ),
    )
}
