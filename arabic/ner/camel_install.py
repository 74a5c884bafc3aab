"""Installing camel-tools' NER model (`ner-arabert`) from camel-tools' catalogue.

The catalogue is camel-tools' own (`CAMELTOOLS_CATALOGUE_URL`, by default the
URL camel-tools 1.6 reads) and is read with camel-tools' own reader,
`Catalogue.load_catalogue`, so a catalogue camel-tools cannot read is refused
here too. The package is then fetched and unpacked here rather than by
`Catalogue.download_package` (what `camel_data -i` runs), because in
camel-tools 1.6.0 that path sends no timeout, does not look at the HTTP
status, checks none of the sha256 sums the catalogue lists, deletes the old
folder before unzipping into it, and takes its folders from module globals
fixed at import. Here:

- every HTTP call has a connect and read timeout, and its status is checked;
- the zip's size and sha256, then each listed file's sha256, must match the
  catalogue before anything is put in place;
- the package is unzipped into a folder beside its destination and moved
  there in one rename, so a failure leaves nothing half-installed;
- camel-tools' `versions.json` records the version, as `camel_data` does, so
  camel-tools itself sees the package as installed.

Failures come in two kinds: `Unavailable` (no network, a timeout, a server
error: try again later; the gazetteer still works) and `InstallError`
(anything else: a bad checksum, a catalogue or zip not in camel-tools'
layout), which someone has to look at.
"""

import hashlib
import json
import os
import shutil
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import requests

from . import camel

PACKAGE = "ner-arabert"
_CHUNK = 1 << 20


class InstallError(Exception):
    """The model could not be installed, and trying again will not help."""


class Unavailable(InstallError):
    """The catalogue or the package could not be fetched (offline, timeout, server error)."""


@dataclass(frozen=True)
class Installed:
    path: Path
    version: str
    already: bool = False


def ner_model_install(*, catalogue_url: str, data_dir: Path, timeout: float, progress: bool = False) -> Installed:
    """Install `ner-arabert` under `data_dir` (camel-tools' CAMELTOOLS_DATA) unless it is there.

    Either the model ends up complete and verified in `data_dir/data/ner/arabert`, or nothing
    there changes and `InstallError` (or `Unavailable`) says why.
    """
    data_dir = Path(data_dir)
    existing = camel.model_path(data_dir)
    if existing is not None:
        return Installed(existing, _installed_version(data_dir), already=True)

    data_dir.mkdir(parents=True, exist_ok=True)
    catalogue_bytes = _fetch(catalogue_url, timeout=timeout, what="camel-tools' catalogue").content
    entry = _package_entry(catalogue_bytes, catalogue_url, data_dir)
    destination = data_dir / camel.NER_DATASET
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".ner-install-", dir=destination.parent) as work:
        archive = Path(work) / "package.zip"
        _download(entry, archive, timeout=timeout, progress=progress)
        unpacked = Path(work) / "unpacked"
        _unzip(archive, unpacked, entry)
        if destination.exists():
            # Left by an earlier, incomplete install (it has no config.json): replaced whole.
            shutil.rmtree(destination)
        os.replace(unpacked, destination)
    _record(data_dir, catalogue_bytes, entry.version)
    return Installed(destination, entry.version or "")


def _fetch(url: str, *, timeout: float, what: str, stream: bool = False) -> requests.Response:
    host = urlsplit(url).netloc or url
    try:
        response = requests.get(url, timeout=(timeout, timeout), stream=stream)
    except requests.exceptions.Timeout:
        raise Unavailable(f"could not fetch {what}: {host} did not answer within {timeout:g} seconds") from None
    except requests.exceptions.ConnectionError:
        raise Unavailable(f"could not fetch {what}: no connection to {host} (offline?)") from None
    except requests.exceptions.RequestException as error:
        raise InstallError(f"could not fetch {what} from {url}: {error}") from None
    if response.status_code >= 500:
        raise Unavailable(f"could not fetch {what}: {host} failed with HTTP {response.status_code}")
    if response.status_code != 200:
        raise InstallError(f"could not fetch {what}: {url} answered HTTP {response.status_code}")
    return response


def _package_entry(catalogue_bytes: bytes, url: str, data_dir: Path):
    """camel-tools' own reading of the catalogue, and the checks an install needs from it."""
    # Importing camel_tools.data reads (or else downloads) the catalogue in CAMELTOOLS_DATA.
    camel.ensure_catalogue()
    camel.ensure_catalogue(data_dir)
    from camel_tools.data.catalogue import Catalogue, CatalogueError, PackageType

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "catalogue.json"
        path.write_bytes(catalogue_bytes)
        try:
            catalogue = Catalogue.load_catalogue(path)
            entry = catalogue.get_package(PACKAGE)
        except CatalogueError as error:
            raise InstallError(f"the catalogue at {url} has no usable {PACKAGE!r} package ({error})") from None
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            reason = f"missing {error}" if isinstance(error, KeyError) else type(error).__name__
            raise InstallError(f"the catalogue at {url} is not in camel-tools' format ({reason})") from None
    raw = json.loads(catalogue_bytes)["packages"][PACKAGE]
    if entry.package_type != PackageType.HTTP or not entry.url:
        raise InstallError(f"the catalogue lists {PACKAGE!r} with no package to download")
    if not entry.sha256:
        raise InstallError(f"the catalogue lists no sha256 for {PACKAGE!r}: it cannot be verified")
    if PurePosixPath(raw.get("destination") or "") != PurePosixPath(*camel.NER_DATASET.parts[1:]):
        raise InstallError(f"the catalogue installs {PACKAGE!r} in {raw.get('destination')!r}, not 'ner/arabert'")
    return entry


def _download(entry, archive: Path, *, timeout: float, progress: bool) -> None:
    """The package zip, its size and sha256 checked against the catalogue."""
    digest = hashlib.sha256()
    size = 0
    limit = entry.size * 2 if entry.size else None  # a server that never stops sending is not our package
    bar = None
    with _fetch(entry.url, timeout=timeout, what=f"the {PACKAGE} package", stream=True) as response:
        if progress:
            from tqdm import tqdm

            bar = tqdm(total=entry.size, unit="B", unit_scale=True, desc=PACKAGE, file=sys.stderr, leave=False)
        try:
            with archive.open("wb") as file:
                for chunk in response.iter_content(_CHUNK):
                    file.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
                    if bar is not None:
                        bar.update(len(chunk))
                    if limit is not None and size > limit:
                        raise InstallError(f"{entry.url} sent more than twice the {entry.size} bytes listed")
        except requests.exceptions.RequestException as error:
            raise Unavailable(f"the download of {entry.url} broke off ({type(error).__name__})") from None
        finally:
            if bar is not None:
                bar.close()
    if entry.size and size != entry.size:
        raise InstallError(f"{entry.url} sent {size} bytes; the catalogue lists {entry.size}")
    if digest.hexdigest() != entry.sha256.lower():
        raise InstallError(
            f"checksum mismatch: {entry.url} has sha256 {digest.hexdigest()}, the catalogue lists {entry.sha256}"
        )


def _unzip(archive: Path, target: Path, entry) -> None:
    """The zip's files under `target`, each listed file's sha256 checked."""
    try:
        with zipfile.ZipFile(archive) as package:
            for member in package.infolist():
                name = PurePosixPath(member.filename)
                if name.is_absolute() or ".." in name.parts:
                    raise InstallError(f"the package holds a file outside its folder: {member.filename!r}")
            package.extractall(target)
    except zipfile.BadZipFile:
        raise InstallError(f"{entry.url} is not a zip file") from None
    for listed in entry.files or []:
        path = target / listed.path
        if not path.is_file():
            raise InstallError(f"the package lacks {listed.path}, which the catalogue lists")
        if _sha256(path) != (listed.sha256 or "").lower():
            raise InstallError(f"checksum mismatch: {listed.path} in the package differs from the catalogue")
    if not (target / "config.json").is_file():
        raise InstallError("the package has no config.json at its top: not a camel-tools NER model")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _record(data_dir: Path, catalogue_bytes: bytes, version: str | None) -> None:
    """What camel-tools keeps: the catalogue it was installed from and the package's version."""
    _write_atomically(data_dir / "catalogue.json", catalogue_bytes)
    versions_path = data_dir / "versions.json"
    try:
        versions = json.loads(versions_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        versions = {}
    versions[PACKAGE] = version
    _write_atomically(versions_path, json.dumps(versions, indent=4).encode("utf-8"))


def _installed_version(data_dir: Path) -> str:
    try:
        return json.loads((data_dir / "versions.json").read_text(encoding="utf-8")).get(PACKAGE) or ""
    except (OSError, ValueError, AttributeError):
        return ""


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
