"""The ``clusterbot`` command as a user runs it, in a real process."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.helpers import clean_env

ROOT = Path(__file__).resolve().parents[1]


def run(
    *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = clean_env(**(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=full_env,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def test_help_lists_the_subcommands() -> None:
    result = run("--help")
    assert result.returncode == 0
    assert "run" in result.stdout and "check-content" in result.stdout


def test_piped_script_prints_the_conversation_and_exits_0(tmp_path: Path) -> None:
    db = tmp_path / "bot.sqlite3"
    result = run("run", stdin="/start\n4\n5\n", env={"CLUSTERBOT_DB_PATH": str(db)})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "> /start"
    assert "  [1] 📋 Samoocena według standardów PARP" in lines
    assert "  [2] 💶 Finansowanie i wsparcie" in lines
    assert "  [3] 📅 Wydarzenia i przypomnienia" in lines
    assert "  [4] ❓ Pomoc" in lines and "  [5] 🌐 English" in lines
    assert "/ocena" in result.stdout  # the help lists the self-evaluation
    assert "All right, we will talk in English." in result.stdout
    # The choice is remembered by the next run on the same database.
    again = run("run", stdin="/start\n", env={"CLUSTERBOT_DB_PATH": str(db)})
    assert "Hello!" in again.stdout


def test_check_content_passes_on_the_repository() -> None:
    result = run("check-content")
    assert result.returncode == 0, result.stderr
    assert "content OK" in result.stdout


def test_check_content_names_file_and_field(tmp_content: Path) -> None:
    en = tmp_content / "locales" / "en.yaml"
    en.write_text(en.read_text("utf-8").replace("  empty:", "  emptyy:", 1), "utf-8")
    (tmp_content / "stray.yaml").write_text("a: 1\n", "utf-8")
    result = run("check-content", env={"CLUSTERBOT_CONTENT_DIR": str(tmp_content)})
    assert result.returncode == 1
    assert "locales/en.yaml: errors.empty: missing" in result.stderr
    assert "stray.yaml: not a known content file" in result.stderr


def test_invalid_yaml_is_reported_with_its_line(tmp_content: Path) -> None:
    pl = tmp_content / "locales" / "pl.yaml"
    pl.write_text(pl.read_text("utf-8") + "\nbroken: [unclosed\n", "utf-8")
    result = run("check-content", env={"CLUSTERBOT_CONTENT_DIR": str(tmp_content)})
    assert result.returncode == 1
    assert "locales/pl.yaml: line" in result.stderr


def test_invalid_content_stops_start_up(tmp_content: Path, tmp_path: Path) -> None:
    (tmp_content / "locales" / "en.yaml").unlink()
    result = run(
        "run",
        stdin="/start\n",
        env={
            "CLUSTERBOT_CONTENT_DIR": str(tmp_content),
            "CLUSTERBOT_DB_PATH": str(tmp_path / "d.sqlite3"),
        },
    )
    assert result.returncode == 2
    assert "locales/en.yaml" in result.stderr and "missing" in result.stderr
    assert result.stdout == ""


def test_unopenable_database_stops_start_up_naming_path(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    path = blocker / "db.sqlite3"
    result = run("run", stdin="/start\n", env={"CLUSTERBOT_DB_PATH": str(path)})
    assert result.returncode == 2
    assert str(path) in result.stderr
    assert "Dzień dobry" not in result.stdout


def test_bad_setting_names_the_variable(tmp_path: Path) -> None:
    result = run("run", env={"CLUSTERBOT_TIMEZONE": "Mars/Olympus"})
    assert result.returncode == 2
    assert "CLUSTERBOT_TIMEZONE" in result.stderr


def _assessment_script(answers: list[str]) -> str:
    profile = [
        "/ocena",
        "Klaster Testowy",
        "Fundacja Rozwoju",
        "1",
        "ICT",
        "45",
        "300",
        "2015",
        "7",
        "2",
        "2",
    ]
    return "\n".join(profile + answers) + "\n"


def test_piped_self_evaluation_ends_with_the_verdict(tmp_path: Path) -> None:
    db = {"CLUSTERBOT_DB_PATH": str(tmp_path / "bot.sqlite3")}
    # 36 answers: "1" (meets) for all but the 7th standard, 2.1.1, answered "2" (does not meet).
    answers = ["1"] * 6 + ["2"] + ["1"] * 29
    result = run("run", stdin=_assessment_script(answers), env=db)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Klaster jest w fazie rozwoju." in out
    assert "Zapisano 2.1.1: ❌ Nie spełnia" in out
    assert "Wynik samooceny: NEGATYWNY" in out
    assert "Spełnione standardy: 35/36 (97%)" in out


def test_piped_run_resumes_at_the_right_question(tmp_path: Path) -> None:
    db = {"CLUSTERBOT_DB_PATH": str(tmp_path / "bot.sqlite3")}
    first = run("run", stdin=_assessment_script(["1"] * 10), env=db)
    assert first.returncode == 0, first.stderr
    second = run("run", stdin="/ocena\n1\n", env=db)
    assert "Masz rozpoczętą samoocenę (Klaster Testowy): 10/36 odpowiedzi." in second.stdout
    assert "**" not in second.stdout
    # Ten answered (1.1.1 … 2.2.2): the 11th standard, 2.3.1, is next.
    assert "2.3.1 Kadra koordynatora" in second.stdout.split("> 1")[-1]


def test_ask_prints_the_answer_as_the_chat_would() -> None:
    result = run("ask", "ile można dostać z 2.3.3?")
    assert result.returncode == 0, result.stderr
    assert "8 mln zł" in result.stdout.splitlines()[0]
    assert "Źródło:" in result.stdout.splitlines()[1]
    assert "  [1] 👥 Kto może" in result.stdout


def test_ask_answers_in_the_questions_language_unless_told() -> None:
    english = run("ask", "What replaced POIR 2.3.3?").stdout
    assert "FENG" in english.splitlines()[0] and "Source:" in english
    forced = run("ask", "--lang", "pl", "What replaced POIR 2.3.3?").stdout
    assert "Źródło:" in forced


def test_ask_json() -> None:
    import json

    known = json.loads(run("ask", "--json", "co daje status KKK?").stdout)
    assert known["card"] == "kkk-status" and known["confidence"] >= 0.55
    assert known["fact"] == "kkk-status-benefits"
    assert "Źródło:" in known["text"]
    unknown = json.loads(run("ask", "--json", "jaka jest pogoda w Gdańsku?").stdout)
    assert unknown["card"] is None and unknown["fact"] is None
    assert "Nie wiem" in unknown["text"]
    english = json.loads(run("ask", "--json", "--lang", "en", "ESCA gold label price").stdout)
    assert english["card"] == "esca-gold" and "Source:" in english["text"]


def test_ask_into_a_closed_pipe_exits_quietly() -> None:
    # `clusterbot ask "…" | head -1`: the reader stops before the answer is printed.
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "ask", "ile kosztuje brązowa odznaka ESCA?"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=clean_env(),
        cwd=ROOT,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # nobody reads: the print meets a broken pipe
    with process.stderr:
        error = process.stderr.read().decode("utf-8")
    assert process.wait(timeout=60) == 0
    assert "CRITICAL" not in error and "Traceback" not in error


def test_check_content_stale_lists_what_editors_should_check(tmp_content: Path) -> None:
    card = tmp_content / "instruments" / "esca-gold.yaml"
    text = card.read_text("utf-8")
    card.write_text(re.sub(r"review_by: \S+", "review_by: 2020-01-31", text), "utf-8")
    result = run("check-content", "--stale", env={"CLUSTERBOT_CONTENT_DIR": str(tmp_content)})
    assert result.returncode == 1
    assert "esca-gold: review_by 2020-01-31 has come" in result.stdout
    # An undated "is there a new call" fact may be stale: the editor checks it.
    assert "feng-217: facts[feng-217-no-new-call] (status/deadline, source undated)" in (
        result.stdout
    )
    assert "card(s) due for review" in result.stdout
    # Without --stale, the same content is valid.
    assert run("check-content", env={"CLUSTERBOT_CONTENT_DIR": str(tmp_content)}).returncode == 0


def test_an_unreachable_postgresql_stops_start_up_naming_the_host_not_the_password() -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"postgresql://bot:s3cret-Pa55@127.0.0.1:{port}/clusterbot"
    result = run("run", stdin="/start\n", env={"CLUSTERBOT_DATABASE_URL": url})
    assert result.returncode == 2, result.stderr
    assert f"127.0.0.1:{port}" in result.stderr
    assert "s3cret-Pa55" not in result.stderr + result.stdout
    assert "Dzień dobry" not in result.stdout


def test_a_database_url_that_is_not_postgresql_is_refused_without_echoing_it() -> None:
    result = run("run", env={"CLUSTERBOT_DATABASE_URL": "mysql://bot:s3cret-Pa55@db/x"})
    assert result.returncode == 2
    assert "CLUSTERBOT_DATABASE_URL" in result.stderr and "s3cret-Pa55" not in result.stderr
