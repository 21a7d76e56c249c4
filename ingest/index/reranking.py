"""An optional cross-encoder that reorders the best fused candidates.

Off unless RERANKER_MODEL names a sentence-transformers CrossEncoder (a local
folder, or a hub id with ALLOW_MODEL_DOWNLOAD on a machine with internet):
none installs offline with the project.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.errors import EmbeddingModelError
from ingest.index.embeddings import hub_offline
from ingest.settings import Settings

if TYPE_CHECKING:
    from sentence_transformers import CrossEncoder

log = logging.getLogger(__name__)


class Reranker:
    def __init__(self, settings: Settings):
        assert settings.reranker_model
        self.model_name = settings.reranker_model
        self._device = settings.embedding_device
        self._allow_download = settings.allow_model_download
        self._model: CrossEncoder | None = None

    @property
    def model(self) -> CrossEncoder:
        if self._model is None:
            hub_offline(self._allow_download)
            from sentence_transformers import CrossEncoder

            path = Path(self.model_name).expanduser()
            try:
                self._model = CrossEncoder(str(path) if path.exists() else self.model_name, device=self._device)
            except Exception as exc:  # the library raises many types for "not found"
                raise EmbeddingModelError(
                    f"cannot load reranker {self.model_name!r}: {exc}",
                    user_message=f"Không tải được mô hình xếp hạng lại {self.model_name!r}; hãy bỏ RERANKER_MODEL hoặc dùng một thư mục mô hình có sẵn.",
                ) from exc
        return self._model

    def scores(self, question: str, texts: Sequence[str]) -> list[float]:
        if not texts:
            return []
        return [float(s) for s in self.model.predict([(question, t) for t in texts], show_progress_bar=False)]
