"""Registry of the real data sets sciml uses: files, upstream URLs, sha256, licence, citation.

The pinned sha256 values are the upstream ones; the offline mirror (`SCIML_DATA_MIRROR`) holds
byte-identical copies, so a mirror copy and a download verify against the same digests. Files a
download offers beyond the pinned ones (the MIT-BIH records not in the mirror) are verified against
the checksum list the upstream publishes (`upstream_checksums`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

_HIC_YEAST_10KB_FILES = {
    "yeast.10kb.cool": "67434919759c5b389227e2887b928f873f39f6c68b398e225e818838769a2104",
}
_HIC_REAL_FILES = {
    "chromosight_scer_w303_g1_2kb.cool": "e302fcae54e83bdf6084d0ad11716e61be4c9feb2dc4bb8223c7a6825eb447e0",
    "rao2017_hct116_chr22_100kb_r1.cool": "7e6628b740b32aee25bf059446b99eb85c0b4d6b9b1949e6712b61e5839b167b",
    "rao2017_hct116_chr22_100kb_r2.cool": "2e0965106a48d85c997b47569e050ccd962ef51d179d85c5343c8825b26678c6",
    "rao2017_hct116_chr22_100kb_r3.cool": "8455a2f4a98ddb9ce5d0a3cf390df29410088e572ca5952f6a6670d149c6312c",
    "rao2017_hct116_chr22_100kb_r4.cool": "8f013d8896b6dc8b4ba347ab746924881d90e98e374886b7da555472b8db39e9",
    "rao2017_hct116_chr22_100kb_r5.cool": "dd1c064959ed4f9941d390a5442e832c8770e0a17902d5bbd856b3e2d42a9eb1",
    "rao2017_hct116_chr22_100kb_r6.cool": "c6dd7f719c3bf37289866dafda90a3c9cf8c8f3f9b3d20b530181bb092832005",
    "schmitt2016_gm12878_chr2_40kb.cool": "be24086c3c7ceb5259d4db6cf299f60ba4ebd0536f36f25b2388d0314de006a8",
    "schmitt2016_imr90_chr2_40kb.cool": "f0e1ae02571fc210f4f16ee853d4e1652202977113b0e3bf6af2aa7495d17a41",
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
_KOO_CHIPSEQ_200_FILES = {
    "FOXK2_200.h5": "89d7a704d702e60c23ae8eeff5ea372d1cb174139c503edf319dda7867824a26",
    "GABPA_200.h5": "8c62e2a964b46dd8a9d2d3cbfedc70de3837833d2975786b1e2153885226dbe3",
    "LEF1_200.h5": "7e96c49f0597e912d9e5cf6f2764bb14d00190575cb41629475f23f438beac75",
}
_GUE_TF_FILES = {
    "tf0/dev.csv": "17ff638046d146102a86b727adc9ddead9f1f1793577a38961e1f3319da7f738",
    "tf0/test.csv": "d29934d0df424a91ef70f6a62671d9d1c4661b485d7010983b49c8bcfba6aeab",
    "tf0/train.csv": "930080e019fb92961cbd71998839466c2fc4c34da8fc174999a2ed04ef46822f",
    "tf1/dev.csv": "fbffd591300e9ef192d131c139322cbe8e3fb87fae4f52236f64588d3975b8d1",
    "tf1/test.csv": "8995d9d9176d56aa6e3a7014dfcf61ad45bc25a59fba1faca9864250ce42008a",
    "tf1/train.csv": "29dc3c962cc4e4d7161238bb4d0b84583f7794b246a622f81bf30e83e3ae8685",
    "tf2/dev.csv": "002168deb50cebb8dc94a9268e220d0ffa49068e4d9ae28b5873b74ba287c4a1",
    "tf2/test.csv": "78de7c31aea4393b98387f6768cc9144fc912c9391c6b20d27028e355a95c4f1",
    "tf2/train.csv": "7f7483c2179242b6f42dd3578640e1496478e56e627e8fabd2ac79e088b1cbaa",
    "tf3/dev.csv": "b878776f73bd503a371d1d8c0a77058da409ff3f3799901e017f764b07a0d0ef",
    "tf3/test.csv": "56d8d76fdcf98c8a444b26794099ef26185872371f62a7565f602181dd533903",
    "tf3/train.csv": "c4191038363919af593d4f68428e00e6320e3a35902575f1c5c0828954e25a88",
}
_LENTIMPRA_WTC11_FILES = {
    "WTC11_fold2.tsv": "7caa09eb6870e9a0e6c557f879c6abc330b654c29908663da06a2a544294afb7",
}
_MITDB_FILES = {
    "100.atr": "8d8a5349fb16638ebbf649f1779d12e96d91b736b2aafe59db43719ae583d471",
    "100.dat": "b2ea3c250e56e48f4b7b90697832b8ecd1afa1e0bb31f2dcfea4ed6e1075a639",
    "100.hea": "60ebc904c7bf3e04d142638d3fd5c903e8dc9f10f1ea3264e07926aa089ee75e",
    "101.atr": "441cdd6486cfdf4c53e344d1048ab81296773e7058d53069022adc68543a0663",
    "101.dat": "698d1ea6f472d23ca50317c72c96cda2698badd8578220ed0380cdf241e39006",
    "101.hea": "d5f02fbe8673fa05465442191b98ca0d28a1670e7ef0e83fb9ef8723113a311c",
    "102.atr": "24e29031c081806ff6d4ec20fb386e28d8f885f0dca5f74dc29c881e8b196d09",
    "102.dat": "2b56039f9ece83b53511e0fc24e95f23b90712c8017fe4d915e040e78713c38e",
    "102.hea": "a22f09934ee1cfe339d1502f68eb3f0175815f47273b81ea55f75aeb5584cb0d",
    "104.atr": "4f945bef6a4e30b588d7ebdb0763f5294322aa5632b4bb128ee140c7035463c9",
    "104.dat": "aeb19bd805996167c6edd8f1b1a659486c0cbad101f06f1426548784d9634354",
    "104.hea": "46b5d09e2cae7caaf48f61fc7d0f20962035cf057cf675097fc7d64c4796748f",
    "106.atr": "585347e6d1bd3ad89cdb52cb80945878a5e51026d81f871a376bb6e13936f7fa",
    "106.dat": "c017bc18b95b1f970bca143a044ee5d54168648b541e47aa656f2737a59c1202",
    "106.hea": "ad5ed3ee5603926a07a09f0d0c9e2a7ff10a705dbafcde3d185317730a8839ab",
    "107.atr": "559453fc0454d2aa2b744224fd301007b8e41585c6b6f239709c8c2cdbe207f4",
    "107.dat": "ea2254006bb0503926bfb7f6ca3ccf0b3e1ae6bfa8f5eb702bab5d8e960af728",
    "107.hea": "7c9c70b4ccfd3e503b6d4d20eeb508aa89cfd3a5d2b530bc873aba6a2a503dd4",
    "108.atr": "ea227008ac3bc4ada87807117909e77ae0643d5a8bc09f32b9096a35f140cbf3",
    "108.dat": "229a4ef62679dc5c6ea781bfbaec2bd784151fc9f9517f4cdecd533a9431eb20",
    "108.hea": "1c461d963db1883589a975daa80b4104eee6cabb2f5cfec3e0d63b78e7a6a405",
    "109.atr": "2eef456587bab17263a126063321c040affa29bc4ccfdf2a2bc7fe50709fa1b8",
    "109.dat": "267afd6ced7a1fd5a8bcd21fcc2b83287e37e3ef57f32e8a0fe39a6e021951cd",
    "109.hea": "3b21402a9a096acb6a2199b25681e40b0dd201494cb023ded514cd9726bb7fad",
    "112.atr": "69cf7ee24d65a5430162ae9b6452be9d4855c2af47f91976b7f02038ea115002",
    "112.dat": "3c7af9758687314255b5d946a58d9509d53ecf2a300230684fa8ecf00b774bdb",
    "112.hea": "a78dc4b0907b3db806395cff76b3a2e9a70e889b9dc3702c7de55aa8b41abd7d",
    "113.atr": "39527d597a246410d2c16f062600c73271a73a7503d49cafd1d17508af4cd432",
    "113.dat": "f5509b71dabaaa11c53f687ee17aab0071bce3d471e2ab77c71a6434f5b7aacf",
    "113.hea": "848ed5243adaf3b53c72b36b1a5a8b5b8cf585a1d78a02e7b25c1d38818d4343",
    "114.atr": "5280acb082b654d64944137987a00fbc2105b3a3fcdda75d0bf11d4644e40d9f",
    "114.dat": "2ae83463edcfec256b79ce93716dcb40f289bacbe9e5e7a66cd00d0a31099d4b",
    "114.hea": "830ba89cebf60945db0c78332e3cc6c64acbe218f6f16594660d4f17423ee889",
    "115.atr": "4980667b19b7a637729d40762f071b483d69f5431db818cbddc9a8ae64cc4da2",
    "115.dat": "34185efe9889608c76ebfbf5a467d3457970c6d11b77a2bf81b94bcf46e07c41",
    "115.hea": "3212847a692bf3bc5e1dde0343d272e7d56735983276031420060d51d0cdd41c",
    "116.atr": "abd31e2c878073e67319d5a6fa34923fe117cca02e5c80318378405c853ccbef",
    "116.dat": "0ab38cfca76d816673213dcd570504bb3ab02ef76d51540fd7a6075bc580ad85",
    "116.hea": "5553273cafa68c106468ddfaa3bd1d6a30daec53cff1642d3592a20110b2edad",
    "118.atr": "77afd5400648d128223d5029a49c442f5abd65ba997f732489cb8eed39d71551",
    "118.dat": "66ea4b70b7d64abd0f49089ae1b8f0f577664c46e5b29ac23b291934e063df15",
    "118.hea": "48a3d0c4e7742ca0e39a2cbb3ea5142a4d41261adbd0bb25651e0fcd9c6aef2b",
    "119.atr": "fd919c8ea20eed4a22fb37984977f30ce48d382eefd2d90934bf947a88e0fd7b",
    "119.dat": "02a286a28e69b441568add915f16a2856b22bab893bf8729ee9654411ed3a5aa",
    "119.hea": "658f01382d7280a06e2f4c06363569d477394a6898c69ee788bb383f6092df63",
    "122.atr": "34966d92a94c72126253c0297407cff78e53be1f72c6814e28676bcda8be90de",
    "122.dat": "a700c794bfe23565603d75dc5706915f5436e522802d260e758683d11f5b9e13",
    "122.hea": "b43ca64ed2c6e69d15def2c30f8cb2cbf25cb807f9530b1e7d5cfed2fd496f70",
    "123.atr": "061bfd2590fd9d6040d32741a19697491dedb65cbbc5b3865a5c50d49f52d709",
    "123.dat": "8a685a846b82d72aac4dd86171ad0fe5b19c0bd9ce51ddc1e6f015f73b2d8c3a",
    "123.hea": "aab5351e9da6f4beb22392f1a469df4a9e4b8017fea820432cf7d1846244d094",
    "124.atr": "f9c8cac368f1f6ba8895ae47f5771c82597374c1e6b030385ca2eb186454677c",
    "124.dat": "296988e49d2653eb499ad0b17c46826b4296b7eaf94df3f76f1ba2dcdf6bc48b",
    "124.hea": "2200f917fe7a1fa817b79069a274d3291a6fa66289521af5e7d38edeb3e82bce",
    "201.atr": "df1276b6c6952b177ec6eea2be3edc7a96888454107a3ee56be880b0afaf6f35",
    "201.dat": "16610ae46eff900794597503d15af4572a8b1518f18dbed2843b7e68c81f3898",
    "201.hea": "dba34d6252879af28c1d10cde200989a4f6507d98df4395f5cba5f81af5b7e5a",
    "202.atr": "16d59e44564844c39a648164580a69e71f1657e951e6ad121b64eb1a11db037d",
    "202.dat": "0c990e4142de6be898de4b21bd6e6705cd567e5d97cb731a994dc5aee9c7142d",
    "202.hea": "6822216d1bc51f7014637c53e543cdc3863fea4ee3fec3aa99fb0762aece0cba",
    "203.atr": "2573f948e54a538983a44bf946e3e61cdda60e898b4c65ca8559b57c4877c706",
    "203.dat": "5ba7d2237fc838438efd8bb0a3baeffc5de2e70c76e3ab7e401e811ad82f43e0",
    "203.hea": "25b3a3107dd00221b245ef5c23ffdfbd07caaf58e2cf377734f3a947361b26a5",
    "205.atr": "0ae55e31175b9ba36e09c3b556b15e3e70f254936a2634d5ff341dfb86a74ea9",
    "205.dat": "8a513c39e6d9a1d732de0b3909a87aa1fcfd4bd55ab5f59a5b810967d252af36",
    "205.hea": "739f76bbcbbfdad1f260a043a5f7106f6e912894065b15ea75bee42af0380a2a",
    "207.atr": "cceb64d68033a277d2d5669458d49258295102dd3e20614a0ca7d63b67009404",
    "207.dat": "139f99250366fbf347cba4d8ea1fbe788f98cb1b93b70f50ccba70122d908605",
    "207.hea": "7645d488d4c304760aae0a709193ffa13692c317b551bcbdcbb37011032178d8",
    "208.atr": "33878519ee34d00cb233fdb15b11c2b8da0b0aea2e643d31b07105cc3392edf4",
    "208.dat": "22873623623c44ee413a5b60cacb15d4af2723734836fb3ae45d9ff96bdb36e7",
    "208.hea": "5a27efda1bea972440a0b5f40a1c322898693e9602d5ce4722fe750b7dea46e9",
    "209.atr": "c0697b176e7caf49e34f93e28eaeeff7167e2de380a8698f6cb3fb3a5fcb1c84",
    "209.dat": "e2516dd126ea85529d9a0e8442fef5d880a492d41f0692a76e648c8437f15c5f",
    "209.hea": "9ac1abedc17f898bf6a1db9c64c38ccf4f065ebc3989ee7740f4c0796655e590",
    "215.atr": "94968307b89eb0be766cbb88617f08571ed41b3b25b294d19a72b7ffd2525aee",
    "215.dat": "9e28799b5733a2d60470653e6f6ca26610143303233a1b7559cff54e2ad26ef9",
    "215.hea": "a326c25698a0773a6be986f2cae499981224d3c61d8fdcddfbb3beaf3ff0bcbd",
    "217.atr": "196ad0989b837b5d51784e13bef1242549ca7266f0da21743f208302e3e3f5e1",
    "217.dat": "de29975a2a476eaa1a3f07b90134cec70830b2d7932b213354ba175914a6040a",
    "217.hea": "5320a16d3a7d1dea32cdf905b7f5140772a01bf6b11065e0ab937cc6775c5ce6",
    "220.atr": "9cf9f330823e2a9850d51a7fce1f8ecfe5bb84e80e89412bd9f4de6a67f9ccc7",
    "220.dat": "c01ca1a76fb3a89e96134a08f2e5aa6e760eda59ea9086ba8aaa13ba0cca9cff",
    "220.hea": "af40adc6deb9c0e942432e69a7153e41ac252eb6c15a24a715ef258469cda2e5",
    "223.atr": "beaa5cb3eb5fb64a5f9e1dfcac9297f9564b379c9c354cbf8f9f927d9b81ccf1",
    "223.dat": "1d42aa9e13f7349287ae5f0f00b40078c01aadd39e2cad1001ab42d3b7484594",
    "223.hea": "bbd414e57b6eafa53204fb7eeb1212c9d47f598f36e8838b103bfb68a316ca85",
    "230.atr": "403d0d4842ba7135b1e14b9e5c50cba214753a0e17bf979090b2c6a8018f7eae",
    "230.dat": "fba09ea54d9caa342c54c46e0df247335345b02444f7d15162906adfef55d057",
    "230.hea": "5738bb479316dcc324b27807bbbffd8878da6156707c6cfbc08dcd0fa4771671",
    "231.atr": "b82cc005618eab81b3a246ca5c5a61903f3c0f40c191d7fb953adf054ea691de",
    "231.dat": "7d4f56d6c4b1d50322154381c1d8761457c2f2696973e915a3c19d8a5b789595",
    "231.hea": "733195a792e806a897531475eabcdec71e96f7b6cd7bcf57f9f1b2538cb13503",
}
_PINN_REFERENCE_FILES = {
    "AC.mat": "266e97eedd9ef543d7f6d370fa5f06388761aa7da2b97e476562dcf1d644a175",
    "burgers_shock.mat": "f4d11e6798b8d29b6829984952b04adcc470d9bf70dd7e56c7985cd8e316c4bf",
}
_PINN_BENCHMARKS_FILES = {
    "allen_cahn.mat": "ce640f188e334520f636d3d650cae6056a92a486546d40889bff93610bdbfa71",
    "ks_chaotic.mat": "8319ea9b6db085f26eefe9f0649d9367e1cca78f1c0a59f629d2cdaa6df3ed9a",
    "ldc_Re100.mat": "e82ebd7d00603e839fd9a0a68eea7822cb855be03d46f73f6e0e8b6abd27a1aa",
    "ldc_Re1000.mat": "b6a135436b758ad2440495b883dc88d7accc8ea126c1f7f0e912830c33a102fc",
    "pinnacle_lid_driven_a4.dat": "9920232758297eee09404d66a914522cc8285ea3a4d7a05f5e776c5fcac852f3",
    "pinnacle_poisson_boltzmann2d.dat": "439354e99e9d749c3ff1ae44065de502ac53e96479a74546e27b790802806578",
}

_ZUO2020_MLIP_FILES = {
    "Cu_train.xyz": "ca3d2960ee3c2351c9d57c5d5a475eda35cedc2b87c3e64c414c68d7c4a89e0a",
    "Ge_training.json": "43dee02009a5167f94c7aafce19051222bcfc328c46181750cc2a2018187ca00",
    "Li_training.json": "1cac01475c5a4fb85771ee1fd23366a6b8abfb9891e0c9e088b6e37228e147b3",
    "Mo_training.json": "b13305fca0d0d2631ab080c8fcf13c743ee79a911712fb65a34ca88fadf09f9a",
    "Ni_train.xyz": "7d97eed9d083ed0b25f89b52a43a3c0876669c9889f309b857dfb5313ee38cb2",
    "Si_training.json": "ae6d4b0a65b00e0fcf7ba0a6fad366716710d2f0d21d70199203089c6866b500",
    "TiAl_tutorial.xyz": "73d8d461d0148301752646c0f52243cae14be9aae499ed0dece43950b5d10b91",
}

# All 48 MIT-BIH Arrhythmia records; the mirror holds 31 of them (all of DS1, the paced ones, 5 of DS2).
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

    Attributes:
        name: registry key, also the folder name under the mirror and under `data/raw/`.
        description: one line on what the data are.
        files: pinned file name -> sha256 (the mirror's verified copies).
        url_base: download prefix; a file's URL is `url_base + file`.
        homepage: the upstream page of the data set.
        licence: the licence the data are distributed under (SPDX-like name).
        citation: the reference to cite when publishing results computed from the data.
        downloadable: extra files that only a download provides (e.g. the other MIT-BIH records).
        upstream_checksums: URL of the upstream `sha256  file` list used to verify downloads, if any.
        remote_paths: file -> path under `url_base`, where the upstream layout differs from the flat one.
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
            name="koo-chipseq-200",
            description=("FOXK2, GABPA and LEF1 ChIP-seq peaks vs background, one-hot (N, 4, 200), "
                         "train/valid/test (lower-case keys x_*, y_*)"),
            files=_KOO_CHIPSEQ_200_FILES,
            url_base="https://raw.githubusercontent.com/p-koo/GradientCorrection/1e41d43/data/",
            remote_paths={f: f"{f.removesuffix('.h5')}%20(1).h5" for f in _KOO_CHIPSEQ_200_FILES},
            homepage="https://github.com/p-koo/GradientCorrection",
            licence="MIT",
            citation=(
                "Majdandzic A, Rajesh C, Koo PK. Correcting gradient-based interpretations of deep neural "
                "networks for genomics. Genome Biol 24:109 (2023)."
            ),
        ),
        DataSet(
            name="gue-tf",
            description=("GUE human TF-binding tasks tf0-tf3 (DNABERT-2 benchmark): 101 bp, "
                         "train/dev/test CSV (sequence,label), metric MCC"),
            files=_GUE_TF_FILES,
            url_base="https://raw.githubusercontent.com/wds-seu/DeepGene/main/data/GUE/tf/",
            homepage="https://github.com/MAGICS-LAB/DNABERT_2",
            licence="Apache-2.0",
            citation=(
                "Zhou Z, Ji Y, Li W, Dutta P, Davuluri R, Liu H. DNABERT-2: efficient foundation model and "
                "benchmark for multi-species genome. ICLR (2024)."
            ),
        ),
        DataSet(
            name="lentimpra-wtc11",
            description=("lentiMPRA log2(RNA/DNA) activity of 4,617 elements (230 bp) in WTC11 iPS cells, "
                         "one cross-validation fold (seq, mean_value)"),
            files=_LENTIMPRA_WTC11_FILES,
            url_base="https://raw.githubusercontent.com/autosome-ru/human_legnet/main/tutorial/dataset/",
            remote_paths={"WTC11_fold2.tsv": "WTC11_valid.tsv"},
            homepage="https://github.com/autosome-ru/human_legnet",
            licence="MIT",
            citation=(
                "Agarwal V et al. Massively parallel characterization of transcriptional regulatory "
                "elements. Nature (2025)."
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
            name="hic-real",
            description=(
                "Real Hi-C maps, raw integer counts: HCT-116 chr22 100 kb (6 samples, 2 conditions x 3), "
                "GM12878 and IMR90 chr2:8-48 Mb 40 kb, shallow S. cerevisiae W303 G1 2 kb"
            ),
            files=_HIC_REAL_FILES,
            # Only the yeast map is an upstream file (renamed); the human .cool files were built for the
            # mirror with cooler from the R data objects of multiHiCcompare (HCT116_r*.rda) and TADCompare
            # (*.40kb.raw.chr2.rda), hg19 coordinates, upper triangle: the mirror is their only copy.
            url_base="https://raw.githubusercontent.com/koszullab/chromosight/master/docs/notebooks/input/",
            remote_paths={"chromosight_scer_w303_g1_2kb.cool": "scer_w303_g1_2kb_SRR8769554.cool"},
            homepage="https://github.com/dozmorovlab/multiHiCcompare",
            licence="MIT (multiHiCcompare, TADCompare data); Artistic-2.0 (chromosight)",
            citation=(
                "Rao SSP et al. Cohesin loss eliminates all loop domains. Cell 171(2):305-320 (2017); "
                "Schmitt AD et al. A compendium of chromatin contact maps reveals spatially active regions in "
                "the human genome. Cell Rep 17(8):2042-2059 (2016); Matthey-Doret C et al. Computer vision for "
                "pattern detection in chromosome contact maps. Nat Commun 11:5795 (2020); Stansfield JC et al. "
                "multiHiCcompare. Bioinformatics 35(17):2916-2923 (2019)."
            ),
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
        DataSet(
            name="zuo2020-mlip",
            description=(
                "DFT (VASP PBE) training sets of the Zuo 2020 interatomic-potential benchmark: Si, Ge, Li, Mo "
                "(mlearn JSON, stresses in kBar), Cu, Ni (extxyz, forces under 'force'), Ti-Al (libAtoms virials)"
            ),
            files=_ZUO2020_MLIP_FILES,
            url_base="https://raw.githubusercontent.com/materialsvirtuallab/mlearn/master/data/",
            # Cu, Ni and TiAl come from ACEData tarballs (minibenchmarks/ZuoEtAl2020.tar.gz,
            # trainingsets/TiAl_tutorial.tar.gz): the mirror is their only flat copy.
            remote_paths={f"{el}_training.json": f"{el}/training.json" for el in ("Si", "Ge", "Li", "Mo")},
            homepage="https://github.com/materialsvirtuallab/mlearn",
            licence="BSD-3-Clause (mlearn); ACEData licence (Cu, Ni, TiAl)",
            citation=(
                "Zuo Y, Chen C, Li X, Deng Z, Chen Y, Behler J, Csanyi G, Shapeev AV, Thompson AP, Wood MA, "
                "Ong SP. Performance and cost assessment of machine learning interatomic potentials. "
                "J Phys Chem A 124(4):731-745 (2020)."
            ),
        ),
        DataSet(
            name="pinn-benchmarks",
            description=(
                "Harder PINN benchmark references: Allen-Cahn, chaotic Kuramoto-Sivashinsky, lid-driven cavity "
                "Re 100/1000 (jaxpi, u/v grids); PINNacle NS 2d-C lid-driven cavity (u, v, p) and Poisson 2d-CG "
                "(COMSOL, scattered nodes)"
            ),
            files=_PINN_BENCHMARKS_FILES,
            url_base="https://raw.githubusercontent.com/",
            remote_paths={
                "allen_cahn.mat": "PredictiveIntelligenceLab/jaxpi/e85b694/examples/allen_cahn/data/allen_cahn.mat",
                "ks_chaotic.mat": "PredictiveIntelligenceLab/jaxpi/e85b694/examples/ks_chaotic/data/ks_chaotic.mat",
                "ldc_Re100.mat": "PredictiveIntelligenceLab/jaxpi/e85b694/examples/ldc/data/ldc_Re100.mat",
                "ldc_Re1000.mat": "PredictiveIntelligenceLab/jaxpi/e85b694/examples/ldc/data/ldc_Re1000.mat",
                "pinnacle_lid_driven_a4.dat": "i207M/PINNacle/6f8d69c/ref/lid_driven_a4.dat",
                "pinnacle_poisson_boltzmann2d.dat": "i207M/PINNacle/6f8d69c/ref/poisson_boltzmann2d.dat",
            },
            homepage="https://github.com/PredictiveIntelligenceLab/jaxpi ; https://github.com/i207M/PINNacle",
            licence=(
                "jaxpi files (*.mat): University of Pennsylvania research licence, non-commercial research use "
                "only; PINNacle files (pinnacle_*.dat): MIT"
            ),
            citation=(
                "Wang S, Sankaran S, Wang H, Perdikaris P. An expert's guide to training physics-informed neural "
                "networks. arXiv:2308.08468 (2023); Wang S, Li B, Chen Y, Perdikaris P. PirateNets: "
                "physics-informed deep learning with residual adaptive networks. JMLR 25 (2024); Hao Z et al. "
                "PINNacle: a comprehensive benchmark of physics-informed neural networks for solving PDEs. "
                "NeurIPS 2024 Datasets and Benchmarks."
            ),
        ),
    )
}
