"""Installing camel-tools' NER model (`ner-arabert`) from camel-tools' catalogue.

How a package is fetched, checked and put in place is `arabic.camel_data`'s
(timeouts, sha256 sums, one rename); this names the package and where
camel-tools' NER reads it (`data/ner/arabert`, a folder with `config.json`).
"""

from pathlib import Path

from ..camel_data import CamelPackage, Installed, InstallError, Unavailable, package_install
from . import camel

PACKAGE = "ner-arabert"
NER_PACKAGE = CamelPackage(
    name=PACKAGE,
    destination=camel.NER_DATASET.relative_to("data").as_posix(),
    marker="config.json",
    kind="a camel-tools NER model",
)

__all__ = ["NER_PACKAGE", "PACKAGE", "InstallError", "Installed", "Unavailable", "ner_model_install"]


def ner_model_install(*, catalogue_url: str, data_dir: Path, timeout: float, progress: bool = False) -> Installed:
    """Install `ner-arabert` under `data_dir` (camel-tools' CAMELTOOLS_DATA) unless it is there.

    Either the model ends up complete and verified in `data_dir/data/ner/arabert`, or nothing
    there changes and `InstallError` (or `Unavailable`) says why.
    """
    return package_install(
        NER_PACKAGE, catalogue_url=catalogue_url, data_dir=data_dir, timeout=timeout, progress=progress
    )
