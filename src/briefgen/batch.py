"""Several briefings in one call: one after another, or ``jobs`` at a time in worker processes, with an
optional progress bar. A briefing that fails never stops the others."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from .api import build
from .errors import BriefgenError, RenderError
from .processes import ERRORS, can_fork


def build_many(briefings: list[str | Path], *, jobs: int = 1, on_note: Callable[[str], None] | None = None,
               progress: bool = False, **options) -> tuple[list[Path], list[BriefgenError]]:
    """Build several briefings; returns the files written and the errors of those that failed.

    With ``jobs`` > 1 the briefings are built in that many worker processes (each
    renders its formats in turn, so the workers alone share out the cores).
    ``progress`` shows a progress bar. ``options`` are :func:`briefgen.build`'s.
    """
    files: list[Path] = []
    failures: list[BriefgenError] = []
    bar = _Progress(len(briefings)) if progress else None
    try:
        if jobs <= 1:
            for ref in briefings:
                try:
                    files.extend(build(ref, on_note=on_note, **options).files)
                except BriefgenError as exc:
                    failures.append(exc)
                except Exception as exc:  # noqa: BLE001 - one briefing's failure never stops the others
                    failures.append(_internal(ref, exc))
                if bar:
                    bar.advance(str(ref))
        else:
            import multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor, as_completed

            ctx = mp.get_context("fork") if can_fork() else None
            worker_options = {**options, "processes": False}  # the pool already uses the cores
            with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
                futures = {pool.submit(_build_in_worker, ref, worker_options): ref for ref in briefings}
                for future in as_completed(futures):
                    kind, payload, notes = future.result()
                    for n in notes:
                        if on_note:
                            on_note(n)
                    if kind == "ok":
                        files.extend(payload)
                    else:
                        failures.append(ERRORS.get(payload[0], BriefgenError)(payload[1]))
                    if bar:
                        bar.advance(str(futures[future]))
    finally:
        if bar:
            bar.close()
    return files, failures


def _build_in_worker(ref, options):
    notes: list[str] = []
    try:
        return "ok", build(ref, on_note=notes.append, **options).files, notes
    except BriefgenError as exc:
        return "problems", (type(exc).__name__, exc.problems), notes
    except Exception as exc:  # noqa: BLE001
        failed = _internal(ref, exc)
        return "problems", (type(failed).__name__, failed.problems), notes


def _internal(ref, exc: Exception) -> BriefgenError:
    """A failure that is not a problem of the input, as one line naming the briefing."""
    detail = " ".join(str(exc).split())[:200]
    return RenderError(f"{ref}: internal error: {type(exc).__name__}: {detail}")


class _Progress:
    """A rich progress bar on stderr, for runs over many briefings in a terminal."""

    def __init__(self, total: int):
        from rich.progress import Progress

        self._bar = Progress(transient=True)
        self._bar.start()
        self._task = self._bar.add_task("building", total=total)

    def advance(self, name: str) -> None:
        self._bar.update(self._task, advance=1, description=f"built {name}")

    def close(self) -> None:
        self._bar.stop()
