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

from . import __version__
from .errors import BriefgenError, UsageError
from .formats import FORMAT_NAMES, PAGE_SIZE_NAMES, SLIDE_SIZE_NAMES

app = typer.Typer(add_completion=True, no_args_is_help=True, rich_markup_mode=None,
                  context_settings={"help_option_names": ["-h", "--help"]},
                  help="Turn structured briefing content into a print-ready PDF and an editable PowerPoint deck.")

_state = {"debug": False}


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"briefgen {__version__}")
        raise typer.Exit()


@app.callback()
def _root(debug: bool = typer.Option(False, "--debug", help="Show tracebacks instead of one-line errors."),
          version: bool = typer.Option(False, "--version", callback=_show_version, is_eager=True,
                                       help="Print briefgen's version and stop.")):
    _state["debug"] = debug


def _error_lines(exc: BaseException) -> list[str]:
    """What the user sees of a failure: one line per problem (the traceback too with --debug)."""
    if _state["debug"]:
        traceback.print_exception(exc)
        child = getattr(exc, "child_traceback", "")
        if child:
            typer.echo(f"in the child process:\n{child}", err=True)
    if isinstance(exc, BriefgenError):
        return [f"error: {problem}" for problem in exc.problems]
    detail = " ".join(str(exc).split())
    detail = detail if len(detail) <= 200 else detail[:199] + "…"
    return [f"error: internal error: {type(exc).__name__}: {detail} (run with --debug for details)"]


def _fail(exc: BaseException) -> None:
    for line in _error_lines(exc):
        typer.echo(line, err=True)
    raise typer.Exit(exc.exit_code if isinstance(exc, BriefgenError) else 1)


# shell completion: each callback runs only when the shell asks for candidates
def _complete_briefings(incomplete: str) -> list[str]:
    from . import api

    return [b for b in api.list_briefings() if b.startswith(incomplete)]


def _complete_styles(incomplete: str) -> list[str]:
    from . import api

    return [s for s in api.styles() if s.startswith(incomplete)]


def _choices(names: tuple[str, ...]):
    return lambda incomplete: [n for n in names if n.startswith(incomplete.lower())]


def _listed(names: tuple[str, ...]) -> str:
    return "[" + "|".join(names) + "]"


# options shared by the commands that build ('build', 'watch')
BriefingArg = typer.Argument(None, help="A briefing id under content/ or a path to a briefing folder "
                                        "[default: us-mexico].", show_default=False,
                             autocompletion=_complete_briefings)
ContentDir = typer.Option(Path("content"), "--content-dir", metavar="DIR", help="Where briefing ids are looked up.")
FormatOpt = typer.Option("all", "--format", "-f", metavar="FORMAT[,FORMAT...]",
                         autocompletion=_choices(FORMAT_NAMES),
                         help=f"Which outputs to write, [{'|'.join(FORMAT_NAMES)}] in any letter case; several "
                              "joined by commas, e.g. pdf,pptx,handout.")
SectionsOpt = typer.Option(None, "--sections", "-s", metavar="ID,ID",
                           help="Build exactly these section ids, in this order: ID,ID,...")
ExcludeOpt = typer.Option(None, "--exclude", "-x", metavar="ID,ID", help="Leave out these section ids: ID,ID,...")
PresetOpt = typer.Option(None, "--preset", "-p", metavar="NAME", help="Build a preset from briefing.yaml.")
StyleOpt = typer.Option(None, "--style", metavar="NAME|FILE", autocompletion=_complete_styles,
                        help="A style name (see 'briefgen styles') or a style file.")
OutputOpt = typer.Option(Path("output"), "--output", "-o", metavar="DIR", help="Folder for the outputs.")
OutputFileOpt = typer.Option(None, "--output-file", metavar="FILE",
                             help="Name the output file (the extension follows the format).")
PageSizeOpt = typer.Option(None, "--page-size", metavar=_listed(PAGE_SIZE_NAMES),
                           autocompletion=_choices(PAGE_SIZE_NAMES),
                           help="PDF page size, in any letter case [default: the style's].")
SlideSizeOpt = typer.Option(None, "--slide-size", metavar=_listed(SLIDE_SIZE_NAMES),
                            autocompletion=_choices(SLIDE_SIZE_NAMES), help="Deck slide size [default: the style's].")
BleedOpt = typer.Option(False, "--bleed", help="Add bleed, crop marks and TrimBox/BleedBox to the PDF.")
CmykOpt = typer.Option(False, "--cmyk", help="Write every PDF colour as CMYK for print (images stay as "
                                                "supplied; see README).")
DraftOpt = typer.Option(False, "--draft", help="Put a DRAFT mark on every page and slide.")
NoTagsOpt = typer.Option(False, "--no-tags", help="Write untagged PDFs: no structure tree for screen readers "
                                                  "(not accessible; a little faster, see README).")
HandoutPerPageOpt = typer.Option(1, "--handout-per-page", metavar="1|2|3",
                                 help="Slides on each handout page: 1 with its notes beneath, 2 or 3 with their "
                                      "notes beside.")
PagesOpt = typer.Option(1, "--pages", min=1, metavar="N",
                        help="Pages the summary (--format summary) may take; its type shrinks to fit them.")
QuietOpt = typer.Option(False, "--quiet", "-q", help="Print nothing but errors.")
NoCacheOpt = typer.Option(False, "--no-cache",
                          help="Read every input afresh; use and keep no cached reads (see README).")


def _build_options(format, sections, exclude, preset, style, output, output_file, page_size, slide_size, bleed,
                   cmyk, draft, no_cache, content_dir, handout_per_page=1, pages=1, no_tags=False) -> dict:
    """The shared build options as :func:`briefgen.api.build` takes them."""
    # reportlab's per-attribute checks on chart shapes catch briefgen's own mistakes, which tests do; here
    # they only cost time
    return dict(format=format, sections=sections, exclude=exclude, preset=preset, style=style, output_dir=output,
                output_file=output_file, content_dir=content_dir, page_size=page_size, slide_size=slide_size,
                bleed=bleed, cmyk=cmyk, draft=draft, handout_per_page=handout_per_page, pages=pages, cache=not no_cache,
                chart_checks=False, tags=not no_tags)


@app.command()
def build(
    briefings: Optional[list[str]] = typer.Argument(
        None, help="Briefing ids under content/ or paths to briefing folders [default: us-mexico].",
        show_default=False, autocompletion=_complete_briefings),
    all_: bool = typer.Option(False, "--all", help="Build every briefing under the content folder."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, metavar="N",
                             help="Build this many briefings at once, in parallel processes."),
    format: str = FormatOpt,
    sections: Optional[str] = SectionsOpt,
    exclude: Optional[str] = ExcludeOpt,
    preset: Optional[str] = PresetOpt,
    pick: bool = typer.Option(False, "--pick", help="Tick the sections to build from a checklist (needs a terminal)."),
    style: Optional[str] = StyleOpt,
    output: Path = OutputOpt,
    output_file: Optional[Path] = OutputFileOpt,
    page_size: Optional[str] = PageSizeOpt,
    slide_size: Optional[str] = SlideSizeOpt,
    bleed: bool = BleedOpt,
    cmyk: bool = CmykOpt,
    draft: bool = DraftOpt,
    no_tags: bool = NoTagsOpt,
    handout_per_page: int = HandoutPerPageOpt,
    pages: int = PagesOpt,
    quiet: bool = QuietOpt,
    no_cache: bool = NoCacheOpt,
    content_dir: Path = ContentDir,
):
    """Render briefings to PDF and/or PPTX, the deck as a PDF, a speaker handout or a one-page summary."""
    from . import api

    options = _build_options(format, sections, exclude, preset, style, output, output_file, page_size, slide_size,
                             bleed, cmyk, draft, no_cache, content_dir, handout_per_page, pages, no_tags)
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
            # forking lets the deck render beside the PDF: safe here, the CLI runs no threads
            result = api.build(names[0] if names else None, on_note=say, processes=True, **options)
            written, failures = list(result.files), []
        else:
            written, failures = api.build_many(names, jobs=jobs, on_note=say,
                                               progress=not quiet and sys.stderr.isatty(), **options)
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


@app.command("book")
def book_cmd(
    book: Path = typer.Argument(..., metavar="BOOK.yaml", show_default=False,
                                help="A book file: a title and the briefings to bind, each with its sections "
                                     "(see README)."),
    format: str = FormatOpt,
    style: Optional[str] = StyleOpt,
    output: Path = OutputOpt,
    page_size: Optional[str] = PageSizeOpt,
    slide_size: Optional[str] = SlideSizeOpt,
    bleed: bool = BleedOpt,
    cmyk: bool = CmykOpt,
    draft: bool = DraftOpt,
    handout_per_page: int = HandoutPerPageOpt,
    pages: int = typer.Option(1, "--pages", min=1, metavar="N",
                              help="Pages each briefing's summary (--format summary) may take."),
    no_tags: bool = NoTagsOpt,
    quiet: bool = QuietOpt,
    no_cache: bool = NoCacheOpt,
    content_dir: Path = ContentDir,
):
    """Bind several briefings into one book: a PDF with one cover, contents and page numbering, and one deck."""
    from . import api

    say = None if quiet else (lambda m: typer.echo(f"note: {m}", err=True))
    try:
        result = api.build_book(book, format=format, style=style, output_dir=output, content_dir=content_dir,
                                page_size=page_size, slide_size=slide_size, bleed=bleed, cmyk=cmyk, draft=draft,
                                handout_per_page=handout_per_page, pages=pages, on_note=say, cache=not no_cache,
                                chart_checks=False, processes=True, tags=not no_tags)
    except Exception as exc:  # noqa: BLE001 - every failure becomes one line and an exit code
        _fail(exc)
        return
    if not quiet:
        for path in result.files:
            typer.echo(f"wrote {path}")


@app.command()
def watch(
    briefing: Optional[str] = BriefingArg,
    format: str = FormatOpt,
    sections: Optional[str] = SectionsOpt,
    exclude: Optional[str] = ExcludeOpt,
    preset: Optional[str] = PresetOpt,
    style: Optional[str] = StyleOpt,
    output: Path = OutputOpt,
    output_file: Optional[Path] = OutputFileOpt,
    page_size: Optional[str] = PageSizeOpt,
    slide_size: Optional[str] = SlideSizeOpt,
    bleed: bool = BleedOpt,
    cmyk: bool = CmykOpt,
    draft: bool = DraftOpt,
    no_tags: bool = NoTagsOpt,
    handout_per_page: int = HandoutPerPageOpt,
    pages: int = PagesOpt,
    quiet: bool = QuietOpt,
    no_cache: bool = NoCacheOpt,
    content_dir: Path = ContentDir,
):
    """Build a briefing, then rebuild it whenever its content, style, fonts or logo change (Ctrl-C stops).

    A broken edit prints its problems and leaves the last good outputs in place.
    """
    from . import api

    options = _build_options(format, sections, exclude, preset, style, output, output_file, page_size, slide_size,
                             bleed, cmyk, draft, no_cache, content_dir, handout_per_page, pages, no_tags)

    def say(message: str) -> None:
        if not quiet:
            typer.echo(message, err=True)

    def report(rebuild) -> None:
        if rebuild.changed:
            say(f"changed: {_changed(rebuild.changed)}")
        if rebuild.error is not None:
            for line in _error_lines(rebuild.error):
                typer.echo(line, err=True)
            say("nothing written (the last good outputs stay); waiting for the next change")
            return
        for note in rebuild.result.notes:
            say(f"note: {note}")
        if not quiet:
            for path in rebuild.result.files:
                typer.echo(f"wrote {path}")
        say(f"built in {rebuild.seconds:.2f} s; watching for changes (Ctrl-C stops)")

    try:
        api.watch(briefing, on_build=report, **options)
    except KeyboardInterrupt:
        say("stopped")
    except Exception as exc:  # noqa: BLE001
        _fail(exc)


def _changed(paths) -> str:
    """The changed paths, relative to the working folder where they are below it, at most three named."""
    cwd = Path.cwd().resolve()
    shown = [str(p.relative_to(cwd)) if p.is_relative_to(cwd) else str(p) for p in paths[:3]]
    return ", ".join(shown) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")


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
def check(briefing: Optional[str] = BriefingArg, style: Optional[str] = StyleOpt, content_dir: Path = ContentDir):
    """Validate a briefing's content and a style without rendering anything."""
    from .api import prepare

    try:
        chosen, theme = prepare(briefing, style=style, content_dir=content_dir)
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
        return
    for message in chosen.notes:
        typer.echo(f"note: {message}", err=True)
    typer.echo(f"ok: {chosen.id}: {len(chosen.sections)} sections, style '{theme.name}'")


WriteDir = typer.Option(Path("content"), "--content-dir", metavar="DIR", help="Where the briefing folder is written.")


@app.command("new")
def new_cmd(briefing_id: str = typer.Argument(..., metavar="ID", help="The new briefing's id (its folder name).",
                                              show_default=False),
            content_dir: Path = WriteDir):
    """Start a briefing: a sample folder that shows every feature once, ready to build."""
    from . import api

    try:
        folder = api.new_briefing(briefing_id, content_dir)
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
        return
    typer.echo(f"wrote {folder}: replace the sample text, then 'briefgen build {_ref(folder, content_dir)}'")


@app.command("import")
def import_cmd(file: Path = typer.Argument(..., metavar="FILE", help="A .txt, .md, .html or .docx document.",
                                           show_default=False),
               briefing_id: Optional[str] = typer.Option(None, "--id", metavar="ID",
                                                         help="The briefing's id [default: made from the title]."),
               force: bool = typer.Option(False, "--force", help="Replace an existing briefing folder of that id."),
               content_dir: Path = WriteDir):
    """Turn a document (plain text, Markdown, HTML, Word) into a briefing folder."""
    from . import api

    try:
        folder = api.import_document(file, briefing_id, force=force, content_dir=content_dir)
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
        return
    typer.echo(f"wrote {folder}: check the key points, add facts and charts, then "
               f"'briefgen build {_ref(folder, content_dir)}'")


def _ref(folder: Path, content_dir: Path) -> str:
    """How to name a briefing folder on the command line: its id, plus --content-dir when that is not the default."""
    return folder.name if content_dir == Path("content") else f"{folder.name} --content-dir {content_dir}"


def main() -> None:
    """The ``briefgen`` command: run the app, then leave without tearing the interpreter down.

    By the time a command returns, every output is written, renamed and closed;
    what is left is freeing memory that the operating system reclaims anyway,
    which takes about as long as rendering a PDF page.
    """
    import os

    try:
        app(prog_name="briefgen")  # also under 'python -m briefgen': completion is installed for the command
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    main()
