"""Installing camel-tools' data packages (its NER model, its morphology database) from camel-tools' catalogue.

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

A package is described by a `CamelPackage`: its name in the catalogue, where
camel-tools keeps it (under `$CAMELTOOLS_DATA/data/`) and the file that says it
is complete. Failures come in two kinds: `Unavailable` (no network, a
timeout, a server error: try again later) and `InstallError` (anything else:
a bad checksum, a catalogue or zip not in camel-tools' layout), which someone
has to look at.
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

from .ner.camel import ensure_catalogue

_CHUNK = 1 << 20


@dataclass(frozen=True)
class CamelPackage:
    """A package of camel-tools' catalogue, as this project installs it."""

    name: str  # in the catalogue: "ner-arabert"
    destination: str  # under $CAMELTOOLS_DATA/data, as the catalogue says: "ner/arabert"
    marker: str  # the file at the package's top that says it is complete: "config.json"
    kind: str  # what it is, in the words of an error: "a camel-tools NER model"

    def path(self, data_dir: Path) -> Path:
        return Path(data_dir) / "data" / PurePosixPath(self.destination)

    def installed(self, data_dir: Path) -> Path | None:
        """Where the package is, if it is installed whole under `data_dir`."""
        path = self.path(data_dir)
        return path if (path / self.marker).is_file() else None


class InstallError(Exception):
    """The package could not be installed, and trying again will not help."""


class Unavailable(InstallError):
    """The catalogue or the package could not be fetched (offline, timeout, server error)."""


@dataclass(frozen=True)
class Installed:
    path: Path
    version: str
    already: bool = False


def package_install(
    package: CamelPackage, *, catalogue_url: str, data_dir: Path, timeout: float, progress: bool = False
) -> Installed:
    """Install `package` under `data_dir` (camel-tools' CAMELTOOLS_DATA) unless it is there.

    Either the package ends up complete and verified in `data_dir/data/<destination>`, or
    nothing there changes and `InstallError` (or `Unavailable`) says why.
    """
    data_dir = Path(data_dir)
    existing = package.installed(data_dir)
    if existing is not None:
        return Installed(existing, _installed_version(data_dir, package), already=True)

    data_dir.mkdir(parents=True, exist_ok=True)
    catalogue_bytes = _fetch(catalogue_url, timeout=timeout, what="camel-tools' catalogue").content
    entry = _package_entry(package, catalogue_bytes, catalogue_url, data_dir)
    destination = package.path(data_dir)
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{package.name}-install-", dir=destination.parent) as work:
        archive = Path(work) / "package.zip"
        _download(package, entry, archive, timeout=timeout, progress=progress)
        unpacked = Path(work) / "unpacked"
        _unzip(package, archive, unpacked, entry)
        if destination.exists():
            # Left by an earlier, incomplete install (it has no marker file): replaced whole.
            shutil.rmtree(destination)
        os.replace(unpacked, destination)
    _record(data_dir, catalogue_bytes, package, entry.version)
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


def _package_entry(package: CamelPackage, catalogue_bytes: bytes, url: str, data_dir: Path):
    """camel-tools' own reading of the catalogue, and the checks an install needs from it."""
    # Importing camel_tools.data reads (or else downloads) the catalogue in CAMELTOOLS_DATA.
    ensure_catalogue()
    ensure_catalogue(data_dir)
    from camel_tools.data.catalogue import Catalogue, CatalogueError, PackageType

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "catalogue.json"
        path.write_bytes(catalogue_bytes)
        try:
            catalogue = Catalogue.load_catalogue(path)
            entry = catalogue.get_package(package.name)
        except CatalogueError as error:
            raise InstallError(f"the catalogue at {url} has no usable {package.name!r} package ({error})") from None
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            reason = f"missing {error}" if isinstance(error, KeyError) else type(error).__name__
            raise InstallError(f"the catalogue at {url} is not in camel-tools' format ({reason})") from None
    raw = json.loads(catalogue_bytes)["packages"][package.name]
    if entry.package_type != PackageType.HTTP or not entry.url:
        raise InstallError(f"the catalogue lists {package.name!r} with no package to download")
    if not entry.sha256:
        raise InstallError(f"the catalogue lists no sha256 for {package.name!r}: it cannot be verified")
    if PurePosixPath(raw.get("destination") or "") != PurePosixPath(package.destination):
        raise InstallError(
            f"the catalogue installs {package.name!r} in {raw.get('destination')!r}, not {package.destination!r}"
        )
    return entry


def _download(package: CamelPackage, entry, archive: Path, *, timeout: float, progress: bool) -> None:
    """The package zip, its size and sha256 checked against the catalogue."""
    digest = hashlib.sha256()
    size = 0
    limit = entry.size * 2 if entry.size else None  # a server that never stops sending is not our package
    bar = None
    with _fetch(entry.url, timeout=timeout, what=f"the {package.name} package", stream=True) as response:
        if progress:
            from tqdm import tqdm

            bar = tqdm(total=entry.size, unit="B", unit_scale=True, desc=package.name, file=sys.stderr, leave=False)
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


def _unzip(package: CamelPackage, archive: Path, target: Path, entry) -> None:
    """The zip's files under `target`, each listed file's sha256 checked."""
    try:
        with zipfile.ZipFile(archive) as zipped:
            for member in zipped.infolist():
                name = PurePosixPath(member.filename)
                if name.is_absolute() or ".." in name.parts:
                    raise InstallError(f"the package holds a file outside its folder: {member.filename!r}")
            zipped.extractall(target)
    except zipfile.BadZipFile:
        raise InstallError(f"{entry.url} is not a zip file") from None
    for listed in entry.files or []:
        path = target / listed.path
        if not path.is_file():
            raise InstallError(f"the package lacks {listed.path}, which the catalogue lists")
        if _sha256(path) != (listed.sha256 or "").lower():
            raise InstallError(f"checksum mismatch: {listed.path} in the package differs from the catalogue")
    if not (target / package.marker).is_file():
        raise InstallError(f"the package has no {package.marker} at its top: not {package.kind}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _record(data_dir: Path, catalogue_bytes: bytes, package: CamelPackage, version: str | None) -> None:
    """What camel-tools keeps: the catalogue it was installed from and the package's version."""
    _write_atomically(data_dir / "catalogue.json", catalogue_bytes)
    versions_path = data_dir / "versions.json"
    try:
        versions = json.loads(versions_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        versions = {}
    versions[package.name] = version
    _write_atomically(versions_path, json.dumps(versions, indent=4).encode("utf-8"))


def _installed_version(data_dir: Path, package: CamelPackage) -> str:
    try:
        return json.loads((data_dir / "versions.json").read_text(encoding="utf-8")).get(package.name) or ""
    except (OSError, ValueError, AttributeError):
        return ""


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
