"""The command line: thin typer commands over the library API.

Every problem a user can cause prints as one line on stderr and exits 1 (2 for
contradictory options); ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Optional

import typer

from .errors import BriefgenError, UsageError
from .formats import Format

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Turn structured briefing content into a print-ready PDF and an editable PowerPoint deck.")

_state = {"debug": False}


@app.callback()
def _root(debug: bool = typer.Option(False, "--debug", help="Show tracebacks instead of one-line errors.")):
    _state["debug"] = debug


def _fail(exc: BaseException) -> None:
    if _state["debug"]:
        traceback.print_exception(exc)
        child = getattr(exc, "child_traceback", "")
        if child:
            typer.echo(f"in the child process:\n{child}", err=True)
    if isinstance(exc, BriefgenError):
        for problem in exc.problems:
            typer.echo(f"error: {problem}", err=True)
        raise typer.Exit(exc.exit_code)
    detail = " ".join(str(exc).split())
    detail = detail if len(detail) <= 200 else detail[:199] + "…"
    typer.echo(f"error: internal error: {type(exc).__name__}: {detail} (run with --debug for details)", err=True)
    raise typer.Exit(1)


BriefingArg = typer.Argument(None, help="A briefing id under content/ or a path to a briefing folder "
                                        "[default: us-mexico].", show_default=False)
ContentDir = typer.Option(Path("content"), "--content-dir", help="Where briefing ids are looked up.")


@app.command()
def build(
    briefings: Optional[list[str]] = typer.Argument(
        None, help="Briefing ids under content/ or paths to briefing folders [default: us-mexico].",
        show_default=False),
    all_: bool = typer.Option(False, "--all", help="Build every briefing under the content folder."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Build this many briefings at once, in parallel processes."),
    format: Format = typer.Option(Format.all, "--format", "-f", help="Which outputs to write."),
    sections: Optional[str] = typer.Option(None, "--sections", "-s",
                                           help="Build exactly these section ids, in this order: ID,ID,..."),
    exclude: Optional[str] = typer.Option(None, "--exclude", "-x", help="Leave out these section ids: ID,ID,..."),
    preset: Optional[str] = typer.Option(None, "--preset", "-p", help="Build a preset from briefing.yaml."),
    pick: bool = typer.Option(False, "--pick", help="Tick the sections to build from a checklist (needs a terminal)."),
    style: Optional[str] = typer.Option(None, "--style", help="A style name (see 'briefgen styles') or a style file."),
    output: Path = typer.Option(Path("output"), "--output", "-o", help="Folder for the outputs."),
    output_file: Optional[Path] = typer.Option(None, "--output-file",
                                               help="Name the output file (the extension follows the format)."),
    page_size: Optional[str] = typer.Option(None, "--page-size", help="PDF page size: letter or a4."),
    slide_size: Optional[str] = typer.Option(None, "--slide-size", help="Deck slide size: 16:9 or 4:3."),
    bleed: bool = typer.Option(False, "--bleed", help="Add bleed, crop marks and TrimBox/BleedBox to the PDF."),
    cmyk: bool = typer.Option(False, "--cmyk", help="Write every PDF colour as CMYK for print (images stay as "
                                                    "supplied; see README)."),
    draft: bool = typer.Option(False, "--draft", help="Set DRAFT across every PDF page and every slide."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing but errors."),
    no_cache: bool = typer.Option(False, "--no-cache",
                                  help="Read every input afresh; use and keep no cached reads (see README)."),
    content_dir: Path = ContentDir,
):
    """Render briefings to PDF and/or PPTX."""
    from . import api

    # the CLI is a single-threaded process: forking helps, and reportlab's chart-attribute checks only cost time
    options = dict(format=format, sections=sections, exclude=exclude, preset=preset, style=style, output_dir=output,
                   output_file=output_file, content_dir=content_dir, page_size=page_size, slide_size=slide_size,
                   bleed=bleed, cmyk=cmyk, draft=draft, cache=not no_cache, chart_checks=False)
    say = None if quiet else (lambda m: typer.echo(f"note: {m}", err=True))
    try:
        names = list(briefings or [])
        if all_:
            if names:
                raise UsageError("--all builds every briefing; leave out the briefing names")
            names = api.list_briefings(content_dir)
            if not names:
                raise UsageError(f"no briefings under {content_dir}")
        if len(names) > 1 and (pick or output_file):
            raise UsageError("--pick and --output-file take a single briefing")
        if pick:
            if sections or preset:
                raise UsageError("--pick chooses the sections itself; leave out --sections and --preset")
            options["sections"] = _pick(names[0] if names else None, content_dir)
        if len(names) <= 1:
            result = api.build(names[0] if names else None, on_note=say, processes=True, **options)
            written, failures = list(result.files), []
        else:
            written, failures = api.build_many(names, jobs=jobs, on_note=say, progress=not quiet and sys.stderr.isatty(),
                                           **options)
    except Exception as exc:  # noqa: BLE001 - every failure becomes one line and an exit code
        _fail(exc)
        return
    if not quiet:
        for path in written:
            typer.echo(f"wrote {path}")
    if failures:
        for problem in (p for exc in failures for p in exc.problems):
            typer.echo(f"error: {problem}", err=True)
        raise typer.Exit(max(exc.exit_code for exc in failures))


def _pick(briefing: str | None, content_dir: Path) -> str:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError("--pick needs an interactive terminal; use --sections ID,ID or --preset NAME instead "
                         "(see 'briefgen sections')")
    from . import api

    full = api.load_briefing(briefing, content_dir)
    import questionary

    chosen = questionary.checkbox(
        "Sections to build (space ticks, enter builds):",
        choices=[questionary.Choice(f"{s.title}  [{s.id}]", value=s.id, checked=True) for s in full.sections],
    ).ask()
    if not chosen:
        raise UsageError("no section ticked; nothing to build")
    return ",".join(chosen)


@app.command("sections")
def sections_cmd(briefing: Optional[str] = BriefingArg, content_dir: Path = ContentDir):
    """List a briefing's sections (id, title, words, estimated pages and slides) and its presets."""
    from . import api

    try:
        typer.echo(api.section_report(briefing, content_dir))
    except Exception as exc:  # noqa: BLE001
        _fail(exc)


@app.command()
def styles():
    """List the styles available, with a one-line description each."""
    from . import api

    try:
        found = api.styles()
        width = max((len(n) for n in found), default=0)
        for name, description in found.items():
            typer.echo(f"{name.ljust(width)}  {description}")
    except Exception as exc:  # noqa: BLE001
        _fail(exc)


@app.command()
def check(briefing: Optional[str] = BriefingArg,
          style: Optional[str] = typer.Option(None, "--style", help="A style name or a style file."),
          content_dir: Path = ContentDir):
    """Validate a briefing's content and a style without rendering anything."""
    from .api import prepare

    try:
        chosen, theme = prepare(briefing, style=style, content_dir=content_dir)
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
        return
    for note in chosen.notes:
        typer.echo(f"note: {note}", err=True)
    typer.echo(f"ok: {chosen.id}: {len(chosen.sections)} sections, style '{theme.name}'")


def main() -> None:
    """The ``briefgen`` command: run the app, then leave without tearing the interpreter down.

    By the time a command returns, every output is written, renamed and closed;
    what is left is freeing memory that the operating system reclaims anyway,
    which takes about as long as rendering a PDF page.
    """
    import os

    try:
        app()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    main()
