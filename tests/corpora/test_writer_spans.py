"""The span formats' writers (brat, Label Studio, doccano) refuse a unit whose span their readers would refuse."""

from __future__ import annotations

from pathlib import Path

import pytest

from mining.corpora import brat, doccano, labelstudio
from mining.errors import CorpusError
from mining.schema import Document, Unit

TEXT = "Taxes should fall. Growth would follow."
WRITERS = {"brat": (brat.save, "out"), "Label Studio": (labelstudio.save, "out.json"),
           "doccano": (doccano.save, "out.jsonl")}


@pytest.mark.parametrize("start, end", [(5, 5), (30, 45)], ids=["empty", "past-the-end"])
@pytest.mark.parametrize("fmt", list(WRITERS))
def test_a_span_the_reader_would_refuse_is_refused_and_nothing_is_written(tmp_path: Path, fmt: str, start: int,
                                                                          end: int):
    # written, the file would not read back ("offsets 5-5 are outside the text or empty")
    doc = Document(id="d", text=TEXT, units=[Unit("z", start, end, TEXT[start:end], "claim")])
    save, name = WRITERS[fmt]
    with pytest.raises(CorpusError, match=rf"unit 'z' has the span {start}-{end}, empty or outside the text "
                                          rf"\(length {len(TEXT)}\); {fmt} cannot hold it") as e:
        save([doc], tmp_path / name)
    assert e.value.item == "d/z"
    assert list(tmp_path.iterdir()) == []
