"""The whole test suite: lint (ruff, import-linter), then pytest on SQLite, then pytest on PostgreSQL.

PostgreSQL is found at TALAD_TEST_PG_URL (default postgresql://postgres@127.0.0.1:5432/postgres).
When it cannot be reached the PostgreSQL half is skipped with a notice, unless CI=true, where
that is a failure. Extra arguments go to pytest (e.g. `make test ARGS=-x` or a test path).
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG_URL = os.environ.get("TALAD_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def run(title: str, cmd: list[str], env: dict | None = None) -> int:
    print(f"\n=== {title} ===", flush=True)
    return subprocess.call(cmd, cwd=ROOT, env={**os.environ, **(env or {})})


def postgres_reachable() -> bool:
    import psycopg

    # The suite's own test database is made by the tests; ask the server's maintenance database.
    server = psycopg.conninfo.conninfo_to_dict(PG_URL) | {"dbname": "postgres"}
    try:
        with psycopg.connect(**server, connect_timeout=3):
            return True
    except psycopg.Error as exc:
        print(f"PostgreSQL at {PG_URL} is not reachable: {exc}".strip(), flush=True)
        return False


def main() -> int:
    pytest_args = sys.argv[1:]
    failures = 0
    failures += run("ruff", [str(BIN / "ruff"), "check", "src", "tests", "bench", "scripts"]) != 0
    failures += run("import-linter (the layers)", [str(BIN / "lint-imports")]) != 0
    base = {"TALAD_TESTING": "1", "TALAD_HOME": str(ROOT / "var" / "test")}
    sqlite_env = {**base, "TALAD_DATABASE_URL": ""}
    failures += run("pytest on SQLite", [str(BIN / "pytest"), *pytest_args], sqlite_env) != 0
    if postgres_reachable():
        pg_env = {**base, "TALAD_DATABASE_URL": PG_URL}
        failures += run("pytest on PostgreSQL", [str(BIN / "pytest"), *pytest_args], pg_env) != 0
    elif os.environ.get("CI", "").lower() == "true":
        print("CI=true: PostgreSQL is required; failing.", flush=True)
        failures += 1
    else:
        print("NOTICE: PostgreSQL half SKIPPED (no server). Set TALAD_TEST_PG_URL to run it.")
    print(
        "\nall test runs passed" if not failures else f"\n{failures} test run(s) FAILED", flush=True
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
