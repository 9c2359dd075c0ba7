"""`talad backup` and `talad restore` as a seller runs them: real `talad` processes, each
install in its own TALAD_HOME on the suite's database engine (SQLite in that home, or a
scratch PostgreSQL database on the suite's server). A busy shop is backed up once; every
test restores that archive into installs of its own."""

import gzip
import io
import json
import os
import re
import shutil
import signal
import sqlite3
import stat
import subprocess
import tarfile
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from tests.concurrency import talad_command

ENGINE = connection.vendor
SLIP = "slips/2025/01/สลิป-0001.png"
DATABASE_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}[ENGINE]
SUBSCRIBE = (
    "from talad.integrations.webhooks.services import subscribe\n"
    "from talad.shops.actors import Actor\n"
    "from talad.shops.models import Shop\n"
    "subscribe(shop=Shop.objects.get(slug='pa-daeng'), url='http://127.0.0.1:9/hook',"
    " events=['order.created'], by=Actor.system('test'))\n"
)
# One demo order per transaction, forever: a writer that is always in the middle of something.
KEEP_WRITING = (
    "from talad.shops.actors import Actor\n"
    "from talad.shops.models import Shop\n"
    "from talad.web.demo import add_demo_catalog, add_demo_orders\n"
    "shop, by = Shop.objects.get(slug='writing'), Actor.system('writer')\n"
    "add_demo_catalog(shop, by)\n"
    "n = 0\n"
    "while True:\n"
    "    n += 1\n"
    "    add_demo_orders(shop, 1, seed=n, by=by)\n"
)


def _server() -> dict:
    """The suite's PostgreSQL server, to make scratch databases on."""
    db = settings.DATABASES["default"]
    return {
        "host": db.get("HOST") or "127.0.0.1",
        "port": db.get("PORT") or 5432,
        "user": db.get("USER") or "postgres",
        "password": db.get("PASSWORD") or None,
    }


@dataclass
class Install:
    """A Talad install: its TALAD_HOME and, on PostgreSQL, its own database."""

    home: Path
    database: str = ""  # empty: SQLite in home

    @property
    def env(self) -> dict:
        url = ""
        if self.database:
            s = _server()
            auth = f"{s['user']}:{s['password']}" if s["password"] else s["user"]
            url = f"postgresql://{auth}@{s['host']}:{s['port']}/{self.database}"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "talad.settings",
            "TALAD_HOME": str(self.home),
            "TALAD_DATABASE_URL": url,
            "TALAD_TESTING": "1",
            "TALAD_WEBHOOKS_ALLOW_PRIVATE": "1",
        }
        env.pop("TALAD_SECRET_KEY", None)  # each install's key is its TALAD_HOME/secret_key
        return env

    def talad(self, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [*talad_command(), *args], env=self.env, capture_output=True, text=True, timeout=300
        )
        if ok:
            assert result.returncode == 0, (
                f"talad {' '.join(args)} exited {result.returncode}:\n"
                f"{result.stdout}\n{result.stderr}"
            )
        return result

    def start(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen(
            [*talad_command(), *args],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )

    def row_counts(self) -> dict[str, int]:
        """Rows in every table, read straight from the database; {} when it has no tables."""
        if self.database:
            with psycopg.connect(**_server(), dbname=self.database) as conn:
                names = [r[0] for r in conn.execute("SELECT tablename FROM pg_tables"
                                                    " WHERE schemaname = 'public'")]  # fmt: skip
                return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
        path = self.home / "talad.sqlite3"
        if not path.exists():
            return {}
        with sqlite3.connect(path) as conn:
            names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = "
                                                "'table' AND name NOT LIKE 'sqlite_%'")]  # fmt: skip
            return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}

    def orders(self) -> int:
        return self.row_counts().get("orders_order", 0)

    def make_shop(self, slug: str) -> None:
        self.talad("migrate", "-v0")
        self.talad("createshop", "--name", "ร้านป้าแดง", "--slug", slug,
                   "--owner-email", f"{slug}@example.com", "--password", "pw-12345678")  # fmt: skip


@contextmanager
def scratch_install(home: Path, name: str):
    """A fresh install; on PostgreSQL with a new database, dropped afterwards."""
    database = f"talad_test_backup_{name}_{os.getpid()}" if ENGINE == "postgresql" else ""
    if database:
        with psycopg.connect(**_server(), dbname="postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{database}"')
    try:
        yield Install(home, database)
    finally:
        if database:
            with psycopg.connect(**_server(), dbname="postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


@pytest.fixture
def new_install(tmp_path):
    """Makes fresh installs under tmp_path: new_install("copy")."""
    with ExitStack() as stack:
        yield lambda name: stack.enter_context(scratch_install(tmp_path / name, name))


@dataclass
class Busy:
    shop: Install
    archive: Path
    output: str


@pytest.fixture(scope="module")
def busy(tmp_path_factory):
    """A shop with 60 demo orders, a webhook (a sealed secret) and a payment slip, backed up."""
    root = tmp_path_factory.mktemp("busy")
    with scratch_install(root / "home", "busy") as shop:
        shop.make_shop("pa-daeng")
        shop.talad("demo", "--shop", "pa-daeng", "--orders", "60")
        shop.talad("shell", "-c", SUBSCRIBE)
        slip = shop.home / "media" / SLIP
        slip.parent.mkdir(parents=True)
        slip.write_bytes(os.urandom(20_000))
        archive = root / "pa-daeng.tar.gz"
        made = shop.talad("backup", "--to", str(archive))
        yield Busy(shop, archive, made.stdout)


def members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}


def write_tar(path: Path, files: dict[str, bytes]) -> None:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


# --- backing up ---------------------------------------------------------------------------------


def test_backup_writes_manifest_database_and_media_and_prints_the_counts(busy):
    assert f"backup written to {busy.archive}" in busy.output
    assert re.search(r"orders_order\s+60\n", busy.output)
    files = members(busy.archive)
    assert list(files) == ["manifest.json", DATABASE_MEMBER, f"media/{SLIP}"]
    manifest = json.loads(files["manifest.json"])
    assert (manifest["format"], manifest["format_version"], manifest["engine"]) == (
        "talad-backup",
        1,
        ENGINE,
    )
    assert manifest["created_at"].endswith("Z") and manifest["talad_version"]
    assert manifest["tables"] == busy.shop.row_counts()
    assert manifest["media"][SLIP]["bytes"] == 20_000
    assert stat.S_IMODE(busy.archive.stat().st_mode) == 0o600


def test_the_archive_holds_nothing_of_the_secret_key(busy):
    key = (busy.shop.home / "secret_key").read_text().strip()
    with gzip.open(busy.archive) as fh:
        assert key.encode() not in fh.read()


def test_backup_without_to_writes_a_private_timestamped_file_in_talad_home(busy):
    made = busy.shop.talad("backup")
    folder = busy.shop.home / "backups"
    (path,) = folder.iterdir()
    assert re.fullmatch(r"talad-\d{8}T\d{6}Z\.tar\.gz", path.name)
    assert f"backup written to {path}" in made.stdout
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_backup_never_writes_over_an_existing_file(busy, tmp_path):
    existing = tmp_path / "keep.tar.gz"
    existing.write_bytes(b"an older backup")
    refused = busy.shop.talad("backup", "--to", str(existing), ok=False)
    assert refused.returncode == 1 and "already exists" in refused.stderr
    assert existing.read_bytes() == b"an older backup"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.tar.gz"]


# --- restoring ----------------------------------------------------------------------------------


def test_a_restored_backup_has_every_row_and_file_and_passes_doctor(busy, new_install):
    copy = new_install("copy")
    copy.home.mkdir()
    shutil.copy(busy.shop.home / "secret_key", copy.home / "secret_key")  # the old key first
    restored = copy.talad("restore", str(busy.archive))
    assert "every table has the rows the backup counted" in restored.stdout
    assert re.search(r"orders_order\s+60\n", restored.stdout)
    assert "1 sealed secret(s) readable" in restored.stdout
    assert copy.talad("doctor").stdout.startswith("ok")
    assert copy.row_counts() == busy.shop.row_counts()
    slip = (busy.shop.home / "media" / SLIP).read_bytes()
    assert (copy.home / "media" / SLIP).read_bytes() == slip
    # The copy goes on working: new rows get ids after the restored ones (sequences restored).
    copy.talad("demo", "--shop", "pa-daeng", "--orders", "3")
    assert copy.orders() == 63


def test_a_restore_under_another_secret_key_warns_that_sealed_secrets_are_unreadable(
    busy, new_install
):
    copy = new_install("new-key")
    restored = copy.talad("restore", str(busy.archive))
    assert "1 sealed secret(s) (PEAK keys, webhook secrets) cannot be read" in restored.stderr
    assert copy.row_counts() == busy.shop.row_counts()


def test_restoring_over_a_shop_is_refused_and_changes_nothing(busy, new_install):
    target = new_install("target")
    target.make_shop("other")
    before = target.row_counts()
    refused = target.talad("restore", str(busy.archive), ok=False)
    assert refused.returncode == 1
    assert re.search(r"already holds Talad data|is not empty", refused.stderr)
    assert "Traceback" not in refused.stderr
    assert target.row_counts() == before
    assert not (target.home / "media").exists()
    assert not [p for p in target.home.iterdir() if p.name.startswith(".talad")]


@pytest.mark.skipif(ENGINE != "sqlite", reason="SQLite: a migrated database with no rows")
def test_sqlite_restores_into_a_freshly_migrated_database_with_no_rows(busy, new_install):
    target = new_install("migrated")
    target.talad("migrate", "-v0")
    target.talad("restore", str(busy.archive))
    assert target.row_counts() == busy.shop.row_counts()
    assert target.talad("doctor").stdout.startswith("ok")


@pytest.mark.skipif(ENGINE != "postgresql", reason="PostgreSQL: a database with tables")
def test_postgresql_refuses_a_database_that_already_has_tables(busy, new_install):
    target = new_install("migrated")
    target.talad("migrate", "-v0")
    before = target.row_counts()
    refused = target.talad("restore", str(busy.archive), ok=False)
    assert refused.returncode == 1
    assert "restore writes only into a database with no tables" in refused.stderr
    assert target.row_counts() == before


def _cut_in_half(archive: Path, bad: Path) -> None:
    data = archive.read_bytes()
    bad.write_bytes(data[: len(data) // 2])


def _garbage(archive: Path, bad: Path) -> None:
    bad.write_bytes(os.urandom(50_000))


def _someone_elses_tar(archive: Path, bad: Path) -> None:
    write_tar(bad, {"notes.txt": b"not a backup", "manifest.json": b"{}"})


def _a_changed_byte(archive: Path, bad: Path) -> None:
    files = members(archive)
    database = bytearray(files[DATABASE_MEMBER])
    database[len(database) // 2] ^= 0xFF
    write_tar(bad, {**files, DATABASE_MEMBER: bytes(database)})


def _a_file_left_out(archive: Path, bad: Path) -> None:
    files = members(archive)
    del files[f"media/{SLIP}"]
    write_tar(bad, files)


@pytest.mark.parametrize(
    ("damage", "says"),
    [
        (_cut_in_half, r"damaged or not a Talad backup|incomplete"),
        (_garbage, r"damaged or not a Talad backup"),
        (_someone_elses_tar, r"is not a Talad backup"),
        (_a_changed_byte, rf"{DATABASE_MEMBER} in the archive is damaged"),
        (_a_file_left_out, r"the archive is incomplete"),
    ],
)
def test_a_damaged_or_foreign_archive_is_refused_and_writes_nothing(
    busy, new_install, tmp_path, damage, says
):
    bad = tmp_path / "bad.tar.gz"
    damage(busy.archive, bad)
    target = new_install("target")
    refused = target.talad("restore", str(bad), ok=False)
    assert refused.returncode == 1
    assert re.search(says, refused.stderr), refused.stderr
    assert "Traceback" not in refused.stderr
    assert target.row_counts() == {}
    assert sorted(p.name for p in target.home.iterdir()) == ["secret_key", "static"]


@pytest.mark.skipif(ENGINE != "postgresql", reason="needs both engines: runs with PostgreSQL")
def test_a_backup_restores_only_onto_the_engine_it_was_made_on(busy, new_install, tmp_path):
    on_sqlite = Install(tmp_path / "on-sqlite")
    refused = on_sqlite.talad("restore", str(busy.archive), ok=False)
    assert refused.returncode == 1
    assert "a backup of a PostgreSQL database and this install uses SQLite" in refused.stderr
    assert "TALAD_DATABASE_URL set to an empty PostgreSQL database" in refused.stderr
    assert not (on_sqlite.home / "talad.sqlite3").exists()

    on_sqlite.talad("migrate", "-v0")
    sqlite_archive = tmp_path / "sqlite.tar.gz"
    on_sqlite.talad("backup", "--to", str(sqlite_archive))
    target = new_install("target")
    refused = target.talad("restore", str(sqlite_archive), ok=False)
    assert refused.returncode == 1
    assert "a backup of a SQLite database and this install uses PostgreSQL" in refused.stderr
    assert "TALAD_DATABASE_URL unset" in refused.stderr
    assert target.row_counts() == {}


def test_a_backup_taken_while_orders_are_written_restores_consistently(new_install, tmp_path):
    shop = new_install("writing")
    shop.make_shop("writing")
    writer = shop.start("shell", "-c", KEEP_WRITING)
    archive = tmp_path / "while-writing.tar.gz"
    try:
        while shop.orders() < 5:  # the writer is well under way
            try:
                writer.wait(timeout=0.1)  # the poll interval; also notices a crash
            except subprocess.TimeoutExpired:
                continue
            raise AssertionError(f"the writer exited {writer.returncode}: {writer.stderr.read()}")
        shop.talad("backup", "--to", str(archive))
        assert writer.poll() is None, f"the writer stopped: {writer.stderr.read()}"
    finally:
        os.killpg(writer.pid, signal.SIGKILL)
        writer.wait()
        writer.stderr.close()
    manifest = json.loads(members(archive)["manifest.json"])
    assert manifest["tables"]["orders_order"] >= 5
    copy = new_install("copy")
    copy.talad("restore", str(archive))  # it compares every table with the manifest's counts
    assert copy.row_counts() == manifest["tables"]
    assert copy.talad("doctor").stdout.startswith("ok")
