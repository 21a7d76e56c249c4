"""`make bench`: ingestion, cold start, warm latency and memory, written to BENCHMARKS.md.

Every figure is a median (and p95 where there are enough samples) over
several runs, each in a fresh process where start-up matters.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
QUESTIONS = [json.loads(l)["q"] for l in (ROOT / "tests" / "data" / "qa_public.jsonl").read_text(encoding="utf-8").splitlines() if l.strip()]
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
# Questions just under MAX_QUESTION_CHARS (issue 32): a citation, a citation with its type, a flood of
# combining marks, and prose; each once embedded whole (629 to 995 tokens, 2.7 to 4.5 s of CPU).
LONG_QUESTIONS = [
    "120-KL/TW;" * 99,
    ("Kết luận 120-KL/TW " * 52)[:990],
    "Quy chế dân chủ ở cơ sở là gì a" + "\u0300\u0301\u0303\u0309\u0323" * 190,
    ("Thời gian tới, để việc thực hiện quy chế dân chủ ở cơ sở có hiệu quả, cần tập trung thực hiện "
     "một số nhiệm vụ, giải pháp của Ban Dân vận các cấp và Mặt trận Tổ quốc. ") * 6,
]

# Times the phases of a cold `bot ask` inside one fresh process.
_PHASES = r"""
import json, sys, time
t0 = time.perf_counter()
from bot.settings import get_settings
from bot.answering.service import QAService
t1 = time.perf_counter()
t2 = time.perf_counter()
svc = QAService(get_settings(), build_if_missing=False)
t3 = time.perf_counter()
svc.embedder.model
t4 = time.perf_counter()
svc.ask(sys.argv[1])
t5 = time.perf_counter()
print(json.dumps({"app_imports": t1 - t0, "index_and_bm25": t3 - t2,
                  "model_load": t4 - t3, "first_answer": t5 - t4}))
"""


def run_measured(args: list[str], env: dict[str, str], stdin: str = "") -> tuple[float, int, str]:
    """Run a command; its wall time, its own peak RSS (KiB) and its output.

    The peak comes from GNU time around the command: `wait4`'s ru_maxrss
    would count the forked copy of this (large) process before exec.
    """
    start = time.perf_counter()
    timed = ["/usr/bin/time", "-f", "MAXRSS %M", *args] if Path("/usr/bin/time").exists() else args
    proc = subprocess.run(timed, input=stdin.encode(), capture_output=True, env=env, cwd=ROOT)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"benchmark step failed: {' '.join(args)}\n{proc.stderr.decode()}")
    err = proc.stderr.decode().splitlines()
    rss = next((int(line.split()[1]) for line in reversed(err) if line.startswith("MAXRSS ")), 0)
    return wall, rss, proc.stdout.decode()


def write_section(name: str, text: str) -> None:
    """Replace one section of BENCHMARKS.md (between its markers), keeping the others."""
    path = ROOT / "BENCHMARKS.md"
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    current = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    block = f"{begin}\n{text.strip()}\n{end}"
    if begin in current and end in current:
        head, rest = current.split(begin, 1)
        current = head + block + rest.split(end, 1)[1]
    else:
        current = current.rstrip() + "\n\n" + block + "\n"
    path.write_text(current, encoding="utf-8")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kib = int(next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")).split()[1])
        mem = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, StopIteration):
        pass
    import torch

    return (
        f"{cpu}, {os.cpu_count()} cores{mem}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, torch {torch.__version__}, no GPU used"
    )


def llm_overhead() -> tuple[list[float], list[float]]:
    """Generation and verification times per answer, against a local OpenAI-compatible stand-in."""
    from openai_fake import FakeOpenAI

    from bot.answering.service import QAService
    from bot.settings import get_settings

    def reply(messages):  # cites passage [1] with a sentence taken from it, so verification has work
        prompt = messages[-1]["content"]
        start = prompt.find("<<<TÀI LIỆU\n") + len("<<<TÀI LIỆU\n")
        return prompt[start : prompt.find("\n", start)][:300] + " [1]."

    gen, ver = [], []
    with FakeOpenAI(reply) as server:
        settings = get_settings().model_copy(update={
            "llm_provider": "openai", "llm_model": "bench", "llm_base_url": server.base_url})
        service = QAService(settings)
        for _ in range(5):
            for q in QUESTIONS:
                timings = service.ask(q).timings_ms
                if "generate" in timings and timings["generate"] > 0:
                    gen.append(timings["generate"])
                    ver.append(timings["verify"])
    return gen, ver


def journal_overhead(n: int = 10_000) -> dict[str, list[float]]:
    """What the Telegram bot's journal (bot/operations/journal.py) costs: a write per answer, and the admin
    reports over a journal of `n` exchanges (a unit's year, about 30 questions a day)."""
    from bot.operations.gaps import gap_report
    from bot.operations.journal import AskedDocument, Exchange, Journal

    words = "quy chế dân chủ cơ sở ban thanh tra nhân dân giá vàng hôm nay hội nghị xã phường mặt trận".split()
    now = dt.datetime.now(dt.UTC)
    timings: dict[str, list[float]] = {"record": [], "stats": [], "gaps": [], "negative": []}
    with tempfile.TemporaryDirectory() as tmp:
        journal = Journal(Path(tmp) / "feedback.sqlite3")
        for i in range(n):
            question = " ".join(words[(i * k) % len(words)] for k in (1, 3, 5, 7, 11, 13))
            asked = (AskedDocument("120-KL/TW", "Kết luận", held=False, cited=True),) if i % 5 == 0 else ()
            exchange = Exchange(f"{i:012x}", -100, i % 300, question, i % 5 != 1, "trả lời " * 40,
                                sources=("Bài A", "Điều 12 Luật"), asked=asked, at=now - dt.timedelta(minutes=17 * i))  # fmt: skip
            started = time.perf_counter()
            journal.record(exchange)
            timings["record"].append(time.perf_counter() - started)
            if i % 3 == 0:
                journal.rate(-100, f"{i:012x}", i % 300, 1 if i % 2 else -1)
        for name, work in (("stats", journal.stats), ("gaps", lambda: gap_report(journal)),
                           ("negative", lambda: journal.feedback(negative=True, limit=5))):  # fmt: skip
            for _ in range(RUNS):
                started = time.perf_counter()
                work()
                timings[name].append(time.perf_counter() - started)
    return timings


def main() -> None:
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "CHROMA_PATH": str(Path(tmp) / "chroma"), "PYTHONPATH": str(ROOT), "LOG_LEVEL": "WARNING"}

        ingest_walls, ingest_rss, chunk_rates = [], [], []
        for _ in range(max(3, RUNS // 2)):
            wall, rss, out = run_measured([py, "-m", "ingest", "--rebuild", "--quiet"], env)
            ingest_walls.append(wall)
            ingest_rss.append(rss)
        print(f"ingestion: {out.strip().splitlines()[-1]}", flush=True)

        # Ingestion proper, with the model already loaded (what an update costs).
        from ingest import Settings, ingest, make_embedder

        corpus = Path(tmp) / "corpus"
        shutil.copytree(ROOT / "corpus", corpus)
        settings = Settings(_env_file=None, chroma_path=Path(tmp) / "warm", corpus_dir=corpus, chroma_host=None)
        embedder = make_embedder(settings)
        embedder.model  # noqa: B018 - load before timing
        for _ in range(3):
            report = ingest(settings, rebuild=True, embedder=embedder)
            chunks = report.chunks_embedded
            chunk_rates.append(chunks / report.seconds)
        # An update writes a whole new generation (ingest/index/generations.py): what one changed document costs.
        changed_s, unchanged_s = [], []
        article = next((corpus / "articles").glob("*.md"))
        for n in range(RUNS):
            article.write_text(article.read_text(encoding="utf-8") + f"\nĐoạn bổ sung số {n}.\n", encoding="utf-8")
            changed_s.append(ingest(settings, embedder=embedder).seconds)
            unchanged_s.append(ingest(settings, embedder=embedder).seconds)

        cold_walls, cold_rss, phases = [], [], []
        for _ in range(RUNS):
            wall, rss, _ = run_measured([py, "-m", "bot", "ask", QUESTIONS[0], "--json"], env)
            cold_walls.append(wall)
            cold_rss.append(rss)
            _, _, out = run_measured([py, "-c", _PHASES, QUESTIONS[0]], env)
            phases.append(json.loads(out))
        print(f"cold start: median {statistics.median(cold_walls):.2f} s", flush=True)

        repeats = 10
        stdin = "\n".join(QUESTIONS * repeats) + "\n"
        warm, warm_rss = [], []
        for _ in range(max(1, RUNS // 2)):
            _, rss, out = run_measured([py, "-m", "bot", "ask", "--json"], env, stdin)
            warm_rss.append(rss)
            rows = [json.loads(l) for l in out.splitlines()]
            warm += [r["timings_ms"]["total"] for r in rows[len(QUESTIONS):]]  # first pass warms caches
        print(f"warm: p50 {pct(warm, .5):.1f} ms p95 {pct(warm, .95):.1f} ms over {len(warm)} answers", flush=True)
        lines = [json.dumps({"question": q[:990]}, ensure_ascii=False) for q in LONG_QUESTIONS * (repeats + 1)]
        _, _, out = run_measured([py, "-m", "bot", "ask", "--json"], env, "\n".join(lines) + "\n")
        long_ms = [json.loads(l)["timings_ms"]["total"] for l in out.splitlines()[len(LONG_QUESTIONS):]]
        print(f"long questions: p50 {pct(long_ms, .5):.1f} ms max {max(long_ms):.1f} ms", flush=True)

    gen_ms, verify_ms = llm_overhead()
    journal = journal_overhead()
    ms = {k: [v * 1000 for v in vs] for k, vs in journal.items()}
    phase_med = {k: statistics.median(p[k] for p in phases) for k in phases[0]}
    mib = lambda kib: f"{kib / 1024:.0f} MiB"  # noqa: E731
    report = f"""## Speed and memory (`make bench`)

Run by `make bench` (`tests/benchmark.py`) on {dt.date.today().isoformat()}.

Machine: {machine()}.

Corpus: the 2 articles of `corpus/` ({chunks} chunks); model: `{embedder.identity}` on CPU.
Each figure is the median over several fresh processes unless it says p95.

| what | result | target |
|---|---|---|
| full ingestion, `python -m ingest --rebuild` (process start to exit) | median {statistics.median(ingest_walls):.2f} s, p95 {pct(ingest_walls, .95):.2f} s over {len(ingest_walls)} runs | |
| ingestion proper (chunk, parse citations, embed {chunks} chunks, write; model already loaded) | median {statistics.median(chunk_rates):.0f} chunks/s | |
| update with one document changed (new generation: a copy of the old one's folder, the document re-embedded, derived data reused; model loaded) | median {statistics.median(changed_s) * 1000:.0f} ms, p95 {pct(changed_s, .95) * 1000:.0f} ms over {len(changed_s)} runs | |
| rerun with nothing changed (model loaded) | median {statistics.median(unchanged_s) * 1000:.0f} ms, p95 {pct(unchanged_s, .95) * 1000:.0f} ms over {len(unchanged_s)} runs | |
| cold start, `python -m bot ask "…"` (process start to answer) | median {statistics.median(cold_walls):.2f} s, p95 {pct(cold_walls, .95):.2f} s over {len(cold_walls)} runs | ≤ 10 s |
| warm latency per question, stdin mode | p50 {pct(warm, .5):.1f} ms, p95 {pct(warm, .95):.1f} ms over {len(warm)} answers | p95 ≤ 200 ms |
| warm latency of 990-character questions (repeated citations, combining marks, prose), stdin mode | p50 {pct(long_ms, .5):.1f} ms, max {max(long_ms):.1f} ms over {len(long_ms)} answers | max < 300 ms |
| peak memory (max RSS) | ingestion {mib(max(ingest_rss))}, cold `ask` {mib(max(cold_rss))}, warm stdin run {mib(max(warm_rss))} | |

What dominates the cold start (median seconds in one fresh process):

| phase | seconds |
|---|---|
| project modules (chromadb, pydantic, langchain-core; no torch) | {phase_med["app_imports"]:.2f} |
| opening Chroma and the saved lexical index (memory-mapped) | {phase_med["index_and_bm25"]:.2f} |
| loading the embedding model | {phase_med["model_load"]:.2f} |
| first answer (first embedding call included) | {phase_med["first_answer"]:.2f} |

Interpreter start and the CLI's own work make up the rest of the cold-start wall time.

With an LLM configured (LLM_PROVIDER), each answer also pays for generation and verification.
No model can run here, so generation is measured against the tests' local OpenAI-compatible
server answering at once: the figure is LangChain's and the HTTP client's own overhead, to which a
real model adds its inference time. Over {len(gen_ms)} answers:

| step | p50 | p95 |
|---|---|---|
| generation round trip (local stand-in server, no inference) | {pct(gen_ms, .5):.1f} ms | {pct(gen_ms, .95):.1f} ms |
| verification of the generated answer | {pct(verify_ms, .5):.2f} ms | {pct(verify_ms, .95):.2f} ms |

The Telegram bot's journal (`bot/operations/journal.py`: feedback, gaps, statistics), on a file of
{len(ms["record"]):,} exchanges (a unit's year at about 30 questions a day; 20% unanswered):

| what | p50 | p95 |
|---|---|---|
| recording one answer (off the event loop, after the answer is composed) | {pct(ms["record"], .5):.2f} ms | {pct(ms["record"], .95):.2f} ms |
| `/thongke` statistics | {pct(ms["stats"], .5):.0f} ms | {pct(ms["stats"], .95):.0f} ms |
| `/thieu` gaps: missing documents merged by number, unanswered and 👎 questions grouped by topic | {pct(ms["gaps"], .5):.0f} ms | {pct(ms["gaps"], .95):.0f} ms |
| `/phanhoi` latest negative feedback | {pct(ms["negative"], .5):.1f} ms | {pct(ms["negative"], .95):.1f} ms |
"""
    write_section("bench", report)
    print(report)


if __name__ == "__main__":
    main()
