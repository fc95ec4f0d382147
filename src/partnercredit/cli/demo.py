"""`partnercredit demo`: generate a demo dataset, run the attribution, show the results."""

from __future__ import annotations

import shlex
import shutil
import sys
from pathlib import Path
from typing import Annotated

import typer

from partnercredit.cli import options, partner, render
from partnercredit.cli.options import LanguageOption
from partnercredit.demo import DEMO_SEED, DEMO_SUBSCRIPTIONS, run_demo
from partnercredit.statement import partner_statement


def demo(
    folder: Annotated[
        Path, typer.Option("--dir", metavar="DIR", help="Where the demo data and run go.")
    ] = Path("demo"),
    subscriptions: Annotated[
        int, typer.Option("--subscriptions", metavar="N", help="Size of the generated dataset.")
    ] = DEMO_SUBSCRIPTIONS,
    seed: Annotated[
        int, typer.Option("--seed", metavar="S", help="Seed of the generated dataset.")
    ] = DEMO_SEED,
    no_serve: Annotated[
        bool,
        typer.Option(
            "--no-serve", metavar="", help="Stop after the run (the dashboard is not built yet)."
        ),
    ] = False,
    language: LanguageOption = "en",
) -> None:
    """Generate a realistic dataset, run the attribution on it and show the results: the run
    summary and the statement of the partner with the most credit (in the chosen language)."""
    chosen = options.language(language)
    out = render.console()
    with render.progress(out, chosen) as on_phase:
        result = run_demo(folder, subscriptions=subscriptions, seed=seed, on_phase=on_phase)
    render.show_run(result.report, result.report.summary.fiscal_year_start_month, chosen)
    if result.largest_partner:
        out.print()
        partner.show(partner_statement(result.run_dir, result.largest_partner), chosen)
    out.print()
    say = render.Wording(chosen, {})
    # Never folded inside a path: the commands are to be pasted into a shell (quoted for it,
    # whatever the folder's name).
    folders = say("demo.folders", data=result.data_dir, run=result.run_dir)
    out.print(folders, markup=False, soft_wrap=True)
    run_dir = shlex.quote(str(result.run_dir))
    line = shlex.quote(result.example_line or "<LINE_ID>")
    partner_id = shlex.quote(result.largest_partner or "<PARTNER_ID>")
    in_language = "" if chosen == "en" else f" --lang {chosen}"
    out.print(say("demo.try"))
    for command in (f"explain {run_dir} --line {line}", f"partner {run_dir} {partner_id}"):
        out.print(f"  {_invoked_as()} {command}{in_language}", markup=False, soft_wrap=True)
    del no_serve  # the dashboard does not exist yet: every demo stops after the run


def _invoked_as() -> str:
    """How to run this program again from the same shell: by its name where the shell finds
    this very program so, else by the path it was run from (`make demo` runs
    .venv/bin/partnercredit, which is on no PATH)."""
    script = Path(sys.argv[0])
    if script.name != "partnercredit":
        return "partnercredit"  # python -m partnercredit, or called in-process
    found = shutil.which("partnercredit")
    if found is not None and Path(found).resolve() == script.resolve():
        return "partnercredit"
    return shlex.quote(str(script))
