"""A whole install in one file: `talad backup` and `talad restore` (decision 0012).

The archive is a .tar.gz holding, in this order:
  manifest.json      format and Talad version, engine, time (UTC), rows per table, and the
                     size and sha256 of every other member
  database.sqlite3   SQLite's online backup API: one consistent copy while the server writes
  database.pgdump    or PostgreSQL's `pg_dump --format=custom`, in the snapshot the counts
                     were taken in
  media/…            the uploaded files (payment slips), MEDIA_ROOT as it is

The secret key is never in it. Sealed secrets (PEAK keys, webhook secrets) stay readable only
where TALAD_SECRET_KEY (or TALAD_HOME/secret_key) is the one the backup was made under.

A restore writes into an empty database only, and not before every byte of the archive has
matched the manifest; afterwards it counts every table again.
"""

import contextlib
import glob
import gzip
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader

from talad.errors import TaladError
from talad.integrations.models import PeakConnection, WebhookSubscription
from talad.integrations.sealed import unseal

FORMAT = "talad-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# Rows `talad migrate` itself writes: a database holding only these is still empty.
MIGRATE_BOOKKEEPING = {"django_migrations", "django_content_type", "auth_permission"}
# libpq reads these from the environment; Django keeps them in OPTIONS.
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}
CHUNK = 1024 * 1024


class BackupError(TaladError):
    code = "backup"


@dataclass
class BackupReport:
    path: Path
    bytes: int
    manifest: dict


@dataclass
class RestoreReport:
    manifest: dict
    target: str
    tables: dict[str, int]
    secrets_readable: int = 0
    secrets_unreadable: int = 0
    migrations_to_apply: int = 0
    migrations_unknown: list[str] = field(default_factory=list)


# --- backup -----------------------------------------------------------------------------------


def default_backup_path(when: datetime) -> Path:
    return Path(settings.TALAD_HOME) / "backups" / f"talad-{when:%Y%m%dT%H%M%SZ}.tar.gz"


def create_backup(*, to: Path | None = None) -> BackupReport:
    """The database, then MEDIA_ROOT, into one new archive (never over an existing file).

    The database goes first, so every file it names is already in MEDIA_ROOT when that is
    read; at worst the archive holds a few uploads newer than the database copy."""
    created = datetime.now(UTC).replace(microsecond=0)
    engine = connection.vendor
    if engine not in DATABASE_MEMBER:
        raise BackupError(f"talad backup knows SQLite and PostgreSQL, not {engine}")
    target = Path(to).absolute() if to else default_backup_path(created)
    if target.exists():
        raise BackupError(f"{target} already exists; choose another --to")
    # The archive holds customers' addresses: only its owner may read it (and the folder).
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".talad-backup-", dir=target.parent) as tmp:
        database = Path(tmp) / DATABASE_MEMBER[engine]
        if engine == "sqlite":
            tables = _copy_sqlite(Path(connection.settings_dict["NAME"]), database)
        else:
            tables = _dump_postgres(database)
        media_root = Path(settings.MEDIA_ROOT)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "talad_version": _talad_version(),
            "engine": engine,
            "created_at": created.isoformat().replace("+00:00", "Z"),
            "database": {"name": database.name, **_describe(database)},
            "tables": tables,
            "media": {
                path.relative_to(media_root).as_posix(): _describe(path)
                for path in _media_files(media_root)
            },
            "secret_key": "not included: sealed secrets need the same TALAD_SECRET_KEY",
        }
        partial = Path(tmp) / "archive.tar.gz"
        _write_archive(partial, manifest, database, media_root)
        partial.chmod(0o600)
        os.replace(partial, target)
    return BackupReport(path=target, bytes=target.stat().st_size, manifest=manifest)


def _copy_sqlite(source: Path, copy: Path) -> dict[str, int]:
    if not source.is_file():
        raise BackupError(f"no SQLite database at {source}: nothing to back up")
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(copy)
    try:
        src.backup(dst)  # all pages in one step: one read snapshot, writers keep going (WAL)
        dst.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
        problems = [row[0] for row in dst.execute("PRAGMA integrity_check")]
        if problems != ["ok"]:
            raise BackupError(f"the SQLite database at {source} is damaged: {problems[:3]}")
        return _sqlite_counts(dst)
    except sqlite3.Error as exc:
        raise BackupError(f"could not copy the SQLite database {source}: {exc}") from exc
    finally:
        src.close()
        dst.close()


def _dump_postgres(dump: Path) -> dict[str, int]:
    pg_dump = _postgres_tool("pg_dump")
    connection.ensure_connection()
    with transaction.atomic(), connection.cursor() as cursor:
        # pg_dump joins this snapshot, so the counts describe exactly the rows it writes.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        tables = _postgres_counts(cursor)
        # The archive is gzipped as a whole; compressing the dump too would only cost time.
        _run_postgres_tool(
            [pg_dump, "--format=custom", "--compress=0", f"--snapshot={snapshot}", f"--file={dump}"]
        )
    return tables


def _media_files(root: Path) -> list[Path]:
    """Regular files under MEDIA_ROOT, sorted; symbolic links are not followed."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        found += [p for name in sorted(files) if (p := Path(folder, name)).is_file()]
    return [p for p in found if not p.is_symlink()]


def _write_archive(path: Path, manifest: dict, database: Path, media_root: Path) -> None:
    with tarfile.open(path, "w:gz", compresslevel=6, format=tarfile.PAX_FORMAT) as tar:
        body = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
        _add_member(tar, MANIFEST, io.BytesIO(body), len(body))
        _add_file(tar, database.name, database, manifest["database"])
        for name, expected in manifest["media"].items():
            _add_file(tar, f"{MEDIA}/{name}", media_root / name, expected)


def _add_file(tar: tarfile.TarFile, name: str, path: Path, expected: dict) -> None:
    with path.open("rb") as fh:
        reader = _Reader(fh)
        try:
            _add_member(tar, name, reader, expected["bytes"], mtime=path.stat().st_mtime)
        except OSError as exc:
            raise BackupError(
                f"{path} changed while it was read ({exc}); run the backup again"
            ) from exc
    if reader.sha256.hexdigest() != expected["sha256"]:
        raise BackupError(f"{path} changed while it was read; run the backup again")


def _add_member(tar, name: str, reader, size: int, *, mtime: float | None = None) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode = size, 0o600
    info.mtime = int(mtime if mtime is not None else datetime.now(UTC).timestamp())
    tar.addfile(info, reader)


# --- restore ----------------------------------------------------------------------------------


def restore_backup(*, archive: Path) -> RestoreReport:
    """Everything in `archive` into this install's empty database and MEDIA_ROOT.

    Refused, with nothing written, when the archive is not a whole Talad backup, comes from
    the other database engine, or the database already holds Talad's data."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"no backup file at {archive}")
    engine = connection.vendor
    home, media_root = Path(settings.TALAD_HOME), Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix=".talad-restore-", dir=home) as tmp:
        staging = Path(tmp)
        try:
            with tarfile.open(archive, "r|*") as tar:  # one pass, front to back
                manifest = _read_manifest(tar, archive)
                _refuse_other_engine(manifest, engine, archive)
                _refuse_unless_empty(engine, manifest, media_root)
                _unpack_verified(tar, manifest, staging)
        except (tarfile.TarError, EOFError, gzip.BadGzipFile, zlib.error) as exc:
            raise BackupError(f"{archive} is damaged or not a Talad backup ({exc})") from exc
        database = staging / manifest["database"]["name"]
        if engine == "sqlite":
            target = Path(connection.settings_dict["NAME"])
            _restore_sqlite(database, target)
        else:
            _restore_postgres(database)
        for name in manifest["media"]:
            dest = media_root / name
            if not dest.exists():  # an identical file already there stays as it is
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(staging / MEDIA / name, dest)
    tables, expected = _current_counts(engine), manifest["tables"]
    if tables != expected:
        shown = ", ".join(
            f"{t} {tables.get(t)} (backup {expected.get(t)})"
            for t in sorted(set(tables) | set(expected))
            if tables.get(t) != expected.get(t)
        )
        raise BackupError(f"restored, but the rows differ from the backup's manifest: {shown}")
    readable, unreadable = _sealed_secrets()
    to_apply, unknown = _migration_state()
    return RestoreReport(
        manifest=manifest,
        target=describe_database(),
        tables=tables,
        secrets_readable=readable,
        secrets_unreadable=unreadable,
        migrations_to_apply=to_apply,
        migrations_unknown=unknown,
    )


def _read_manifest(tar: tarfile.TarFile, archive: Path) -> dict:
    foreign = BackupError(f"{archive} is not a Talad backup (no {MANIFEST} at its start)")
    first = tar.next()
    if first is None or first.name != MANIFEST or not first.isfile() or first.size > 2**28:
        raise foreign
    try:
        manifest = json.loads(tar.extractfile(first).read())
    except ValueError:
        raise foreign from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise foreign
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{archive} is backup format {manifest.get('format_version')!r} (Talad "
            f"{manifest.get('talad_version')}); this Talad reads format {FORMAT_VERSION}"
        )
    if not _well_formed(manifest):
        raise BackupError(f"{archive} has a damaged {MANIFEST}")
    return manifest


def _well_formed(manifest: dict) -> bool:
    def described(entry) -> bool:
        return (
            isinstance(entry, dict)
            and isinstance(entry.get("bytes"), int)
            and isinstance(entry.get("sha256"), str)
        )

    database, tables, media = (manifest.get(k) for k in ("database", "tables", "media"))
    return (
        manifest.get("engine") in DATABASE_MEMBER
        and described(database)
        and database.get("name") == DATABASE_MEMBER[manifest["engine"]]
        and isinstance(tables, dict)
        and all(isinstance(n, int) for n in tables.values())
        and isinstance(media, dict)
        and all(_safe_relative(name) and described(entry) for name, entry in media.items())
    )


def _safe_relative(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and "\\" not in name


def _refuse_other_engine(manifest: dict, engine: str, archive: Path) -> None:
    made_on = manifest["engine"]
    if made_on == engine:
        return
    where = (
        "with TALAD_DATABASE_URL unset (SQLite in TALAD_HOME)"
        if made_on == "sqlite"
        else "with TALAD_DATABASE_URL set to an empty PostgreSQL database"
    )
    raise BackupError(
        f"{archive} is a backup of a {ENGINE_NAMES[made_on]} database and this install uses "
        f"{ENGINE_NAMES[engine]}. Restore it {where}; moving between SQLite and PostgreSQL "
        "is not a restore"
    )


def _refuse_unless_empty(engine: str, manifest: dict, media_root: Path) -> None:
    if engine == "sqlite":
        path = Path(connection.settings_dict["NAME"])
        rows = _sqlite_rows_beyond_migrate(path)
        if rows:
            raise BackupError(
                f"{path} already holds Talad data ({rows.get('shops_shop', 0)} shop(s), rows "
                f"in {len(rows)} tables); restore writes only into an empty database. Restore "
                "into a new TALAD_HOME, or move that file away first"
            )
    else:
        tables = connection.introspection.table_names(include_views=True)
        if tables:
            name = connection.settings_dict["NAME"]
            raise BackupError(
                f"the PostgreSQL database {name} is not empty ({len(tables)} tables); restore "
                "writes only into a database with no tables, as createdb makes it. Create a "
                "new one and point TALAD_DATABASE_URL at it"
            )
    clashes = [
        name for name, entry in manifest["media"].items()
        if (media_root / name).exists()
        and (not (media_root / name).is_file() or _describe(media_root / name) != entry)
    ]  # fmt: skip
    if clashes:
        raise BackupError(
            f"{len(clashes)} file(s) in {media_root} differ from the backup's "
            f"(e.g. {clashes[0]}); restore does not overwrite them"
        )


def _sqlite_rows_beyond_migrate(path: Path) -> dict[str, int]:
    if not path.exists():
        return {}
    try:
        with contextlib.closing(sqlite3.connect(path, timeout=30)) as conn:
            counts = _sqlite_counts(conn)
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a database Talad can read ({exc}); move it away") from exc
    return {t: n for t, n in counts.items() if n and t not in MIGRATE_BOOKKEEPING}


def _unpack_verified(tar: tarfile.TarFile, manifest: dict, staging: Path) -> None:
    """Every member the manifest names, each byte checked, into `staging`; nothing else."""
    expected = {manifest["database"]["name"]: manifest["database"]}
    expected |= {f"{MEDIA}/{name}": entry for name, entry in manifest["media"].items()}
    while (member := tar.next()) is not None:  # iterating would start again at the top
        if member.isdir() and (member.name == MEDIA or member.name.startswith(f"{MEDIA}/")):
            continue
        entry = expected.pop(member.name, None)
        if entry is None or not member.isfile():
            raise BackupError(f"unexpected {member.name!r} in the archive: not a Talad backup")
        dest = staging / member.name
        dest.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with tar.extractfile(member) as src, dest.open("wb") as out:
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
        if member.size != entry["bytes"] or digest.hexdigest() != entry["sha256"]:
            raise BackupError(f"{member.name} in the archive is damaged (its sha256 differs)")
        os.utime(dest, (member.mtime, member.mtime))
    if expected:
        raise BackupError(
            f"the archive is incomplete (cut short?): {len(expected)} file(s) missing, "
            f"e.g. {next(iter(expected))}"
        )


def _restore_sqlite(copy: Path, target: Path) -> None:
    existed = target.exists()
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(copy)
    dst = sqlite3.connect(target, timeout=30)
    try:
        # Through SQLite, not a file copy: an existing target's WAL and locks are respected.
        src.backup(dst)
    except sqlite3.Error as exc:
        dst.close()
        if not existed:
            for leftover in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
                leftover.unlink(missing_ok=True)
        raise BackupError(f"could not write {target}: {exc}") from exc
    finally:
        src.close()
        dst.close()


def _restore_postgres(dump: Path) -> None:
    # One transaction: a pg_restore that fails part way leaves the database as empty as it was.
    _run_postgres_tool(
        [
            _postgres_tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={connection.settings_dict['NAME']}",
            str(dump),
        ]
    )


def _sealed_secrets() -> tuple[int, int]:
    """How many sealed secrets this install's SECRET_KEY can read, and how many it cannot."""
    sealed = [
        value
        for row in PeakConnection.unscoped.values_list(
            "connect_key_sealed", "user_token_sealed", "client_token_sealed"
        )
        for value in row
    ] + list(WebhookSubscription.unscoped.values_list("secret_sealed", flat=True))
    readable = unreadable = 0
    for value in filter(None, sealed):
        try:
            unseal(value)
            readable += 1
        except TaladError:
            unreadable += 1
    return readable, unreadable


def _migration_state() -> tuple[int, list[str]]:
    """Migrations this Talad has and the copy has not applied; ones the copy has and it lacks."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    applied, known = set(loader.applied_migrations), set(loader.graph.nodes)
    return len(known - applied), sorted(f"{app}.{name}" for app, name in applied - known)


# --- shared -----------------------------------------------------------------------------------


def describe_database() -> str:
    """Where this install's database is, without its password."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return str(db["NAME"])
    return f"PostgreSQL database {db['NAME']} on {db.get('HOST') or 'localhost'}"


def counts_lines(manifest: dict) -> list[str]:
    """A backup's engine, rows per table (the tables with rows) and media files, to print."""
    tables, media = manifest["tables"], manifest["media"]
    lines = [
        f"  {manifest['engine']} database: {sum(tables.values()):,} rows in {len(tables)} "
        f"tables; {len(media)} media file(s), {sum(m['bytes'] for m in media.values()):,} bytes"
    ]
    return lines + [f"    {table:<40} {rows:>9,}" for table, rows in tables.items() if rows]


def read_manifest(archive: Path) -> dict:
    with tarfile.open(archive, "r|*") as tar:
        return _read_manifest(tar, Path(archive))


def _current_counts(engine: str) -> dict[str, int]:
    if engine == "sqlite":
        with contextlib.closing(sqlite3.connect(connection.settings_dict["NAME"])) as conn:
            return _sqlite_counts(conn)
    with connection.cursor() as cursor:
        return _postgres_counts(cursor)


def _sqlite_counts(conn: sqlite3.Connection) -> dict[str, int]:
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    quoted = {name: '"' + name.replace('"', '""') + '"' for name in names}
    return {
        name: conn.execute(f"SELECT count(*) FROM {quoted[name]}").fetchone()[0] for name in names
    }


def _postgres_counts(cursor) -> dict[str, int]:
    counts = {}
    for name in sorted(connection.introspection.table_names(cursor)):
        cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(name)}")
        counts[name] = cursor.fetchone()[0]
    return counts


def _postgres_tool(name: str) -> str:
    """`name` on PATH, else the newest under /usr/lib/postgresql/*/bin (Debian, Ubuntu)."""
    if found := shutil.which(name):
        return found

    def major(path: str) -> int:
        version = Path(path).parts[-3]
        return int(version) if version.isdigit() else 0

    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=major, reverse=True)
    if not candidates:
        raise BackupError(
            f"{name} is not on PATH or in /usr/lib/postgresql/*/bin: install PostgreSQL's "
            "client programs (Debian/Ubuntu: apt install postgresql-client), of the server's "
            "major version or newer"
        )
    return candidates[0]


def _run_postgres_tool(command: list[str]) -> None:
    """Run pg_dump or pg_restore on this install's database; the password goes in the
    environment, never on a command line another user could read."""
    db = connection.settings_dict
    env = dict(os.environ)
    for key, var in [
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ]:
        if db.get(key):
            env[var] = str(db[key])
    for option, var in LIBPQ_OPTIONS.items():
        if option in db.get("OPTIONS", {}):
            env[var] = str(db["OPTIONS"][option])
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        tool = Path(command[0]).name
        raise BackupError(f"{tool} failed (exit {result.returncode}): {result.stderr.strip()}")


def _describe(path: Path) -> dict:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return {"bytes": path.stat().st_size, "sha256": digest.hexdigest()}


def _talad_version() -> str:
    try:
        return metadata.version("talad")
    except metadata.PackageNotFoundError:
        return "unknown"


class _Reader:
    """A file's bytes as tarfile reads them, hashed on the way."""

    def __init__(self, fh):
        self.fh, self.sha256 = fh, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.fh.read(size)
        self.sha256.update(data)
        return data
