#!/usr/bin/env python3
"""The benchmark of issues 6 and 14 ("Speed at newsroom scale"): whole builds timed as an editor runs them.

    python bench/run.py [--sizes 1000,10000] [--runs 3] [--json FILE] [--no-peers]

Why whole processes: an editor waits for ``python build.py build`` from start to exit, imports,
worker start-up and output swap included, so that is what is timed (a wall clock around
start..reap). For each corpus size it prints a Markdown table: cold build, rebuild with nothing
changed, after editing one article's body, one title, one template; peak memory; growth from one
size to the next; the same corpus built by Hugo and Pelican in the same sitting (these machines
are noisy: only ratios measured together mean much); and whether each target of issue 14 holds.
The rebuild rows are also given as a fraction of Hugo's cold build in the same sitting, which is
what their targets are checked on when Hugo ran (the seconds hold where Hugo takes about 10 s).

How the rows are made (see bench/README.md):

- corpora come from bench/corpus.py and are cached under /tmp/newsroom-bench/<size>/<key>/, the
  key a hash of corpus.py, the seed and the Python version; each run works on a hard-linked copy
  (an edited file is replaced, never written through the link, so the cache stays pristine);
- a cold build goes into a new, empty --output folder with --clean (no build cache). Old output
  folders are deleted only at the very end: deleting a large tree right before a build slows the
  build's own writes while the disk discards the freed blocks in the background;
- rebuild rows start from a built site (a warm-up build, not timed, before each row) and edit in
  place; each run of an edit row makes a new edit, and the row is undone afterwards.

Memory: ``ru_maxrss`` from ``os.wait4`` is the peak of the largest single process (the build or
one of the workers it forked); the process tree's peak is the RSS of the build and all its
descendants summed, sampled from /proc every 50 ms (pages shared copy-on-write by forked workers
count once per process, so it errs high), and its PSS summed (``/proc/PID/smaps_rollup``, every
fourth sample: each shared page counts once, split among the processes sharing it, so the sum is
the memory the tree really holds). The memory target is checked on the PSS sum. It is a benchmark, not a test: CI does not run it, and
it uses no network.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import corpus  # bench/corpus.py: this script's folder is first on sys.path

REPO = Path(__file__).resolve().parent.parent
PEERS = REPO / "bench" / "peers"
ROOT = Path(tempfile.gettempdir()) / "newsroom-bench"
SAMPLE_EVERY = 0.05  # seconds between /proc samples of the process tree
MIB = 1024 * 1024

# The targets of issue 14: (seconds, fraction of Hugo's cold build in the same sitting) per rebuild row,
# and for sites of LARGE articles or more their own body edit and memory targets.
COLD_VS_HUGO = 1.0
REBUILD_TARGETS = {"nothing changed": (0.3, 0.03), "body edit": (1.0, 0.10), "title edit": (1.5, 0.15)}
PEAK_MEMORY_MIB = 800
LARGE = 100_000
LARGE_BODY_EDIT_S = 3.0
LARGE_PEAK_MEMORY_MIB = 4096
GROWTH = 1.1  # cold time per article from one size to the next (10× the articles: ≤ 11× the time)


class BenchError(Exception):
    """A build failed or the benchmark cannot run; the message says which and why."""


# ------------------------------------------------------------------------------------------------
# Measuring one process
# ------------------------------------------------------------------------------------------------


@dataclass
class Sample:
    """One timed whole-process run."""

    wall: float  # seconds, start to reap
    cpu: float  # user + system seconds of the process and the children it reaped
    max_rss_mib: float  # largest single process (wait4's ru_maxrss)
    tree_mib: float  # peak of the summed RSS of the process and its descendants (sampled)
    written: int | None = None  # newsroom's "files: N written"
    tree_pss_mib: float = 0.0  # peak of the summed PSS of the process and its descendants (sampled)


@dataclass
class Row:
    """Several runs of one measurement, with the figures quoted from them."""

    name: str
    samples: list[Sample] = field(default_factory=list)

    def median(self, attribute: str = "wall") -> float:
        return statistics.median(getattr(s, attribute) for s in self.samples)

    def low(self) -> float:
        return min(s.wall for s in self.samples)

    def high(self) -> float:
        return max(s.wall for s in self.samples)

    def peak(self, attribute: str) -> float:
        return max(getattr(s, attribute) for s in self.samples)

    def written(self) -> tuple[int, int] | None:
        """The fewest and the most files a run of this row wrote (newsroom's count)."""
        counts = [s.written for s in self.samples if s.written is not None]
        return (min(counts), max(counts)) if counts else None

    def figures(self) -> dict:
        return {
            "median_s": self.median(),
            "min_s": self.low(),
            "max_s": self.high(),
            "max_rss_mib": self.peak("max_rss_mib"),
            "tree_mib": self.peak("tree_mib"),
            "tree_pss_mib": self.peak("tree_pss_mib"),
            "files_written_min_max": self.written(),
            "runs": [asdict(s) for s in self.samples],
        }


def _parents() -> dict[int, int]:
    """pid -> parent pid for every process (this kernel has no /proc/PID/task/TID/children)."""
    parents = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read()
        except OSError:  # the process ended meanwhile
            continue
        parents[int(name)] = int(stat[stat.rindex(b")") + 2 :].split()[1])
    return parents


def _tree(root: int) -> list[int]:
    """``root`` and all its descendants, right now."""
    children: dict[int, list[int]] = {}
    for pid, parent in _parents().items():
        children.setdefault(parent, []).append(pid)
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


def _tree_rss(pids: list[int]) -> int:
    """Bytes of RSS of these processes, summed."""
    total, page = 0, os.sysconf("SC_PAGE_SIZE")
    for pid in pids:
        try:
            with open(f"/proc/{pid}/statm", "rb") as f:
                total += int(f.read().split()[1]) * page
        except (OSError, IndexError, ValueError):
            continue
    return total


def _tree_pss(pids: list[int]) -> int:
    """Bytes of PSS of these processes, summed: shared pages split among their sharers."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
                for line in f:
                    if line.startswith(b"Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except (OSError, IndexError, ValueError):
            continue
    return total


class TreeSampler(threading.Thread):
    """Samples the summed RSS of a process tree every 50 ms (PSS every 200 ms: reading it walks the
    page tables) until stopped; keeps the peaks."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.peak_pss = 0
        self.done = threading.Event()

    def run(self) -> None:
        for n in itertools.count():
            pids = _tree(self.pid)
            self.peak = max(self.peak, _tree_rss(pids))
            if n % 4 == 0:
                self.peak_pss = max(self.peak_pss, _tree_pss(pids))
            if self.done.wait(SAMPLE_EVERY):
                return


WRITTEN = re.compile(r"files: (\d+) written")


def measure(command: list[str], cwd: Path, log: Path) -> Sample:
    """Run ``command`` once, timed from start to reap; its output goes to ``log``.out/.err."""
    os.sync()  # the previous run's files are on disk before the clock starts
    with open(log.with_suffix(".out"), "wb") as out, open(log.with_suffix(".err"), "wb") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        sampler = TreeSampler(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        sampler.done.set()
        sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        tail = log.with_suffix(".err").read_text(errors="replace")[-3000:]
        raise BenchError(f"{' '.join(command)}\nexited with {process.returncode}:\n{tail}")
    found = WRITTEN.search(log.with_suffix(".out").read_text(errors="replace"))
    return Sample(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        max_rss_mib=usage.ru_maxrss / 1024,  # KiB on Linux
        tree_mib=max(sampler.peak / MIB, usage.ru_maxrss / 1024),  # a sample can miss a short peak
        written=int(found.group(1)) if found else None,
        tree_pss_mib=sampler.peak_pss / MIB,
    )


# ------------------------------------------------------------------------------------------------
# Corpora, cached between runs
# ------------------------------------------------------------------------------------------------


def corpus_key(seed: int) -> str:
    """Changes whenever the generated files could: corpus.py, the seed, Python's random module."""
    source = (REPO / "bench" / "corpus.py").read_bytes()
    salt = f"seed={seed};python={sys.version_info[0]}.{sys.version_info[1]}".encode()
    return hashlib.sha256(source + salt).hexdigest()[:12]


def corpus_dir(size: int, fmt: str, seed: int) -> Path:
    """The corpus of ``size`` articles in ``fmt``, generated on first use."""
    folder = ROOT / str(size) / corpus_key(seed) / fmt
    if (folder / ".complete").is_file():
        return folder
    shutil.rmtree(folder, ignore_errors=True)  # an interrupted generation
    partial = folder.with_name(f"{fmt}.partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    _say(f"generating the {size:,}-article corpus ({fmt}) in {folder}")
    corpus.generate(partial, size, seed, fmt)
    (partial / ".complete").write_text("")
    partial.rename(folder)
    return folder


def stale_corpora(seed: int) -> list[Path]:
    """Cached corpora of older versions of corpus.py (or other seeds)."""
    key = corpus_key(seed)
    return [p for p in ROOT.glob("*/*") if p.parent.name.isdigit() and p.name != key]


def link_tree(source: Path, target: Path) -> None:
    """A copy of ``source`` made of hard links (a plain copy across file systems)."""

    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(source, target, copy_function=link, ignore=shutil.ignore_patterns(".complete"))


def replace_text(path: Path, text: str) -> None:
    """Write through a new file and a rename: never into a hard link to the cached corpus."""
    temporary = path.with_name(path.name + ".bench-tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


# ------------------------------------------------------------------------------------------------
# Newsroom's rows
# ------------------------------------------------------------------------------------------------


def supports_clean() -> bool:
    """Whether this newsroom's build command has --clean (ignore the build cache)."""
    help_text = subprocess.run(
        [sys.executable, "build.py", "build", "--help"], cwd=REPO, capture_output=True, text=True, check=False
    ).stdout
    return "--clean" in help_text


class Site:
    """A working copy of the native corpus and the edits that rebuild rows make to it."""

    def __init__(self, corpus_folder: Path, work: Path, clean_flag: bool) -> None:
        self.folder = work / "site"
        link_tree(corpus_folder, self.folder)
        self.work = work
        self.clean_flag = clean_flag
        self.builds = 0
        articles = sorted((self.folder / "content").rglob("*.md"))
        self.article = articles[len(articles) // 2]  # the article the edit rows change
        self.original = self.article.read_text(encoding="utf-8")
        self.override = self.folder / "themes" / "default" / "templates" / "article.html"

    def build(self, label: str, output: Path | None = None) -> Sample:
        command = [sys.executable, "build.py", "build", "--site", str(self.folder), "--future"]
        if output is not None:
            command += ["--output", str(output)] + (["--clean"] if self.clean_flag else [])
        self.builds += 1
        return measure(command, REPO, self.work / "logs" / f"{self.builds:03d}-{label}")

    def warm_up(self) -> None:
        """An untimed build, so that the next row starts from a built site."""
        self.build("warm-up")

    def edit_body(self, n: int) -> None:
        """Append a sentence to the first plain paragraph of the fixed article's body."""
        head, _, body = self.original.partition("\n---\n")
        lines = body.split("\n")
        plain = next((i for i, line in enumerate(lines) if line and line[0] not in "#->|!*"), None)
        if plain is None:
            raise BenchError(f"{self.article}: no plain paragraph to edit")
        lines[plain] += f" Thông tin được cập nhật lần thứ {n} theo báo cáo mới nhất của cơ sở."
        replace_text(self.article, head + "\n---\n" + "\n".join(lines))

    def edit_title(self, n: int) -> None:
        text, count = re.subn(r'^title: "(.*)"$', rf'title: "\1 (cập nhật {n})"', self.original, count=1, flags=re.M)
        if not count:
            raise BenchError(f"{self.article}: no title line to edit")
        replace_text(self.article, text)

    def restore_article(self) -> None:
        replace_text(self.article, self.original)

    def edit_template(self, n: int) -> None:
        """The repository's article.html with an HTML comment inside its first block."""
        text = (REPO / "themes" / "default" / "templates" / "article.html").read_text(encoding="utf-8")
        block = re.search(r"\{%-?\s*block\s+\w+\s*-?%\}", text)
        at = block.end() if block else len(text)
        self.override.parent.mkdir(parents=True, exist_ok=True)
        replace_text(self.override, f"{text[:at]}\n<!-- bench: template edit {n} -->{text[at:]}")

    def restore_template(self) -> None:
        self.override.unlink(missing_ok=True)
        for folder in (self.override.parent, self.override.parent.parent, self.override.parent.parent.parent):
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()


def newsroom_rows(site: Site, runs: int, cold: Row, peer_cold: Callable[[int], None]) -> list[Row]:
    """Cold runs (interleaved with the peers' cold runs), then the rebuild rows."""
    for n in range(runs):
        cold.samples.append(_show(cold, site.build("cold", site.work / f"cold-{n + 1}")))
        peer_cold(n)
    edits = [
        ("body edit", site.edit_body, site.restore_article),
        ("title edit", site.edit_title, site.restore_article),
        ("template edit", site.edit_template, site.restore_template),
    ]
    site.warm_up()
    nothing = Row("nothing changed")
    for _ in range(runs):
        nothing.samples.append(_show(nothing, site.build("nothing")))
    rows = [cold, nothing]
    for name, edit, restore in edits:
        row = Row(name)
        try:
            for n in range(runs):
                edit(n + 1)
                row.samples.append(_show(row, site.build(name.replace(" ", "-"))))
        finally:
            restore()
        site.warm_up()
        rows.append(row)
    return rows


# ------------------------------------------------------------------------------------------------
# Peers
# ------------------------------------------------------------------------------------------------


@dataclass
class Peer:
    """Another generator building the same articles, cold, in the same sitting."""

    name: str  # "Hugo" or "Pelican"
    fmt: str  # corpus format
    executable: str
    version: str = ""

    def command(self, corpus_folder: Path, site: Path, output: Path) -> list[str]:
        content = str(corpus_folder / "content")
        if self.fmt == "hugo":
            cache = str(output) + "-cache"  # Hugo's file cache, new each run: a cold build
            command = [self.executable, "--quiet", "-s", str(site), "--contentDir", content, "-d", str(output)]
            return [*command, "--cacheDir", cache]
        return [self.executable, content, "-s", str(site / "pelicanconf.py"), "-o", str(output), "-q"]


def find_peers(args: argparse.Namespace) -> list[Peer]:
    if args.no_peers:
        return []
    peers = []
    hugo = args.hugo or shutil.which("hugo")
    fallback = Path("/tmp/pelican-venv/bin/pelican")
    pelican = args.pelican or shutil.which("pelican") or (str(fallback) if fallback.is_file() else None)
    for name, fmt, executable, flag in (
        ("Hugo", "hugo", hugo, "version"),
        ("Pelican", "pelican", pelican, "--version"),
    ):
        if not executable:
            _say(f"{name} not found: its column stays empty (see bench/README.md)")
            continue
        found = subprocess.run([executable, flag], capture_output=True, text=True, check=False)
        version = re.search(r"\d+\.\d+(\.\d+)?", found.stdout)
        peers.append(Peer(name, fmt, executable, version.group(0) if version else "?"))
    return peers


def peer_runner(peers: list[Peer], size: int, seed: int, work: Path) -> tuple[dict[str, Row], Callable[[int], None]]:
    """Rows for the peers' cold builds, and the function that makes run ``n`` of each."""
    rows, prepared = {}, []
    for peer in peers:
        folder = corpus_dir(size, peer.fmt, seed)
        site = work / f"{peer.fmt}-site"
        shutil.copytree(PEERS / peer.fmt, site, ignore=shutil.ignore_patterns(".hugo_build.lock", "__pycache__"))
        rows[peer.name] = Row(f"{peer.name} cold")
        prepared.append((peer, folder, site))

    def run(n: int) -> None:
        for peer, folder, site in prepared:
            output = work / f"{peer.fmt}-out-{n + 1}"
            log = work / "logs" / f"{peer.fmt}-{n + 1}"
            row = rows[peer.name]
            row.samples.append(_show(row, measure(peer.command(folder, site, output), site, log)))

    return rows, run


# ------------------------------------------------------------------------------------------------
# One size, start to end
# ------------------------------------------------------------------------------------------------


@dataclass
class SizeResult:
    size: int
    rows: list[Row]  # newsroom's
    peers: dict[str, Row]  # peer name -> cold row

    def row(self, name: str) -> Row:
        return next(r for r in self.rows if r.name == name)


def bench_size(size: int, args: argparse.Namespace, peers: list[Peer], clean_flag: bool, work: Path) -> SizeResult:
    native = corpus_dir(size, "native", args.seed)
    work.mkdir(parents=True)
    (work / "logs").mkdir()
    site = Site(native, work, clean_flag)
    peer_rows, peer_cold = peer_runner(peers, size, args.seed, work)
    _say(f"{size:,} articles: {args.runs} run(s) per row; work folder {work}")
    rows = newsroom_rows(site, args.runs, Row("cold"), peer_cold)
    return SizeResult(size, rows, peer_rows)


# ------------------------------------------------------------------------------------------------
# Report
# ------------------------------------------------------------------------------------------------


def machine() -> dict:
    info = {"cpu": "?", "memory_gib": None}
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        info["cpu"] = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M).group(1).strip()
        kib = int(re.search(r"^MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text(), re.M).group(1))
        info["memory_gib"] = round(kib / 1024 / 1024, 1)
    except (OSError, AttributeError):
        pass
    info["cores"] = os.cpu_count()
    info["usable_cores"] = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    info["python"] = platform.python_version()
    info["system"] = f"{platform.system()} {platform.release()}"
    info["newsroom"] = _git_revision()
    return info


def _git_revision() -> str:
    def git(*words: str) -> str:
        done = subprocess.run(["git", *words], cwd=REPO, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    revision = git("rev-parse", "--short", "HEAD") or "?"
    return revision + (" + uncommitted changes" if git("status", "--porcelain", "--", "newsroom", "themes") else "")


def _seconds(row: Row) -> str:
    if len(row.samples) == 1:
        return f"{row.median():.2f}"
    return f"{row.median():.2f} [{row.low():.2f}–{row.high():.2f}]"


def _files(row: Row) -> str:
    written = row.written()
    if written is None:
        return ""
    low, high = written
    return f"; {low:,} files written" if low == high else f"; {low:,}–{high:,} files written"


def _holds(ok: bool | None) -> str:
    return "" if ok is None else ("yes" if ok else "**no**")


class Table:
    """A Markdown table of newsroom's figures beside the peers', with ratios and targets."""

    def __init__(self, size: int, peers: list[Peer]) -> None:
        self.size = size
        self.peers = peers
        header = ["measure", "newsroom"] + [f"{p.name} {p.version}" for p in peers]
        header += [f"newsroom/{p.name}" for p in peers] + ["target", "holds"]
        self.lines = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (1 + 2 * len(peers)) + "---|---|"]
        self.verdicts: list[dict] = []

    def add(self, measure: str, ours: str, target: str = "", ok: bool | None = None, **compare) -> None:
        """One line; ``compare`` gives ``mine``, ``theirs`` (one per peer) and ``form`` to compare them."""
        theirs = compare.get("theirs") or [None] * len(self.peers)
        form, mine = compare.get("form", "{:.2f}"), compare.get("mine")
        values = [form.format(v) if v is not None else "" for v in theirs]
        ratios = [f"{mine / v:.2f}" if mine is not None and v else "" for v in theirs]
        self.lines.append("| " + " | ".join([measure, ours, *values, *ratios, target, _holds(ok)]) + " |")
        if target:
            self.verdicts.append({"size": self.size, "measure": measure, "target": target, "holds": ok})

    def text(self) -> str:
        return "\n".join(self.lines)


def size_table(result: SizeResult, peers: list[Peer]) -> Table:
    """The table for one size: cold build against the peers, then the rebuild rows and memory."""
    table = Table(result.size, peers)
    cold, peer_rows = result.row("cold"), [result.peers[p.name] for p in peers]
    hugo = result.peers.get("Hugo")
    table.add(
        "cold build, wall s",
        _seconds(cold),
        f"≤ {COLD_VS_HUGO}× Hugo",
        cold.median() / hugo.median() <= COLD_VS_HUGO if hugo else None,
        mine=cold.median(),
        theirs=[r.median() for r in peer_rows],
    )
    for attribute, what in (
        ("max_rss_mib", "RSS of the largest process"),
        ("tree_mib", "RSS of the process tree"),
        ("tree_pss_mib", "PSS of the process tree"),
    ):
        mine = cold.peak(attribute)
        theirs = [r.peak(attribute) for r in peer_rows]
        table.add(f"cold build, peak {what}, MiB", f"{mine:.0f}", mine=mine, theirs=theirs, form="{:.0f}")
    large = result.size >= LARGE
    for name, (limit, fraction) in REBUILD_TARGETS.items():
        row = result.row(name)
        if large and name == "body edit":
            table.add(
                f"{name}, wall s",
                _seconds(row) + _files(row),
                f"≤ {LARGE_BODY_EDIT_S:.1f} s",
                row.median() <= LARGE_BODY_EDIT_S,
            )
            continue
        if hugo is None:
            table.add(f"{name}, wall s", _seconds(row) + _files(row), f"≤ {limit:.1f} s", row.median() <= limit)
            continue
        part = row.median() / hugo.median()
        if large:  # the issue sets these targets at 10,000 articles only
            table.add(f"{name}, wall s (of Hugo's cold)", f"{_seconds(row)} ({part:.3f}){_files(row)}")
            continue
        table.add(
            f"{name}, wall s (of Hugo's cold)",
            f"{_seconds(row)} ({part:.3f}){_files(row)}",
            f"≤ {fraction:.2f} of Hugo's cold (≈ {limit:.1f} s at 10 s)",
            part <= fraction,
        )
    row = result.row("template edit")
    target = f"≤ cold ({cold.median():.2f} s)"
    table.add("template edit, wall s", _seconds(row) + _files(row), target, row.median() <= cold.median())
    tree = max(r.peak("tree_pss_mib") for r in result.rows)
    rss = max(r.peak("tree_mib") for r in result.rows)
    single = max(r.peak("max_rss_mib") for r in result.rows)
    ours = f"{tree:.0f} (RSS summed {rss:.0f}; largest process {single:.0f})"
    limit = LARGE_PEAK_MEMORY_MIB if large else PEAK_MEMORY_MIB
    table.add("peak memory of any build above (tree PSS), MiB", ours, f"≤ {limit} MiB", tree <= limit)
    return table


def growth_table(results: list[SizeResult], peers: list[Peer]) -> Table:
    """Cold-build time per article from each size to the next: ≤ 1 is no worse than linear."""
    table = Table(results[-1].size, peers)
    for small, large in itertools.pairwise(results):
        factor = large.size / small.size
        ours = large.row("cold").median() / small.row("cold").median() / factor
        theirs = [large.peers[p.name].median() / small.peers[p.name].median() / factor for p in peers]
        measure = f"growth {small.size:,} → {large.size:,}: (cold t{large.size:,} / t{small.size:,}) / {factor:g}"
        table.add(measure, f"{ours:.2f}", f"≤ {GROWTH} (about linear)", ours <= GROWTH, mine=ours, theirs=theirs)
    return table


def report(results: list[SizeResult], peers: list[Peer], info: dict, runs: int, clean_flag: bool) -> tuple[str, dict]:
    """The whole Markdown report, and the same figures for --json."""
    parts, figures = [], {"machine": info, "runs": runs, "clean_flag": clean_flag, "sizes": {}, "targets": []}
    figures["peers"] = {p.name: {"version": p.version, "executable": p.executable} for p in peers}
    for result in results:
        table = size_table(result, peers)
        parts.append(f"### {result.size:,} articles\n\n{table.text()}")
        figures["sizes"][str(result.size)] = {
            "newsroom": {r.name: r.figures() for r in result.rows},
            **{name: {"cold": row.figures()} for name, row in result.peers.items()},
        }
        figures["targets"] += table.verdicts
    if len(results) > 1:
        table = growth_table(results, peers)
        parts.append(f"### Growth\n\n{table.text()}")
        figures["targets"] += table.verdicts
    cache = (
        "--clean into a new --output folder" if clean_flag else "a new --output folder (no --clean in this newsroom)"
    )
    notes = [
        f"Median of {runs} run(s) [min–max], wall seconds of the whole process. Cold: {cache}; peers cold "
        "into a new folder, interleaved with ours. Rebuild rows start from a built site; 'files written' is "
        "newsroom's own count.",
        "Peak RSS of the largest process: ru_maxrss from wait4, the largest single process (the build or "
        "one of its forked workers). Process tree: RSS of the build and its descendants summed, sampled "
        "every 50 ms; pages shared copy-on-write by forked workers count in each, so it errs high. PSS of "
        "the tree: shared pages split among their sharers (smaps_rollup, every 200 ms), the memory the "
        "tree really holds; the memory target is checked on it.",
        f"Machine: {info['cpu']}, {info['cores']} cores ({info['usable_cores']} usable), "
        f"{info['memory_gib']} GiB memory, Python {info['python']}, {info['system']}; newsroom {info['newsroom']}.",
    ]
    return "\n\n".join([*parts, "\n".join(f"- {n}" for n in notes)]) + "\n", figures


# ------------------------------------------------------------------------------------------------
# Command line
# ------------------------------------------------------------------------------------------------


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _show(row: Row, sample: Sample) -> Sample:
    written = "" if sample.written is None else f", {sample.written} files written"
    _say(
        f"  {row.name}: {sample.wall:.2f} s, largest process {sample.max_rss_mib:.0f} MiB, "
        f"tree {sample.tree_mib:.0f} MiB{written}"
    )
    return sample


def _sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(part.replace("_", "")) for part in text.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"sizes are whole numbers separated by commas, not {text!r}") from None
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError("give at least one size of 1 or more")
    return sizes


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog="See bench/README.md.")
    parser.add_argument("--sizes", type=_sizes, default=[1000, 10000], help="corpus sizes (default: 1000,10000)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per row; the median is quoted (default: 3)")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default: 1)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("--hugo", metavar="PATH", help="Hugo executable (default: hugo on PATH)")
    parser.add_argument(
        "--pelican", metavar="PATH", help="Pelican executable (default: pelican on PATH, else /tmp/pelican-venv)"
    )
    parser.add_argument("--no-peers", action="store_true", help="do not build with Hugo or Pelican")
    parser.add_argument("--keep", action="store_true", help="keep the work folders (outputs, logs) for a look")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.runs < 1:
        _parser().error("--runs must be 1 or more")
    peers = find_peers(args)
    clean_flag = supports_clean()
    if not clean_flag:
        _say("this newsroom has no --clean: cold builds rely on a new --output folder (its own, empty cache)")
    work = ROOT / f"run-{os.getpid()}"
    results = []
    try:
        for size in args.sizes:
            results.append(bench_size(size, args, peers, clean_flag, work / str(size)))
    except BenchError as exc:
        _say(f"benchmark stopped: {exc}")
        return 1
    finally:  # deleted only now, after every timed build (see the module docstring)
        if args.keep:
            _say(f"work folders kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
        for stale in stale_corpora(args.seed):
            shutil.rmtree(stale, ignore_errors=True)
    text, figures = report(results, peers, machine(), args.runs, clean_flag)
    print(text)
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
