"""Texts to label from datasets: Parquet files, `save_to_disk` folders and in-memory `datasets.Dataset`s."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from datasets import Dataset, DatasetDict

from mining.errors import CorpusError
from mining.label.streams import ROWS_PER_READ, iter_dataset, iter_items

ROWS = [{"id": "a", "text": "First text."}, {"id": "b", "text": "Second text.\nWith two lines."}]


def _pairs(items) -> list[tuple[str, str, str]]:
    return [(i.id, i.text, i.source) for i in items]


def test_a_parquet_file_is_one_text_per_row(tmp_path: Path):
    path = tmp_path / "news.parquet"
    Dataset.from_list(ROWS).to_parquet(str(path))
    assert _pairs(iter_items([path])) == [("a", "First text.", f"{path}:0"),
                                          ("b", ROWS[1]["text"], f"{path}:1")]


def test_rows_without_ids_are_named_by_their_row(tmp_path: Path):
    path = tmp_path / "plain.parquet"
    Dataset.from_dict({"text": ["x", "y"], "source": ["s", "t"]}).to_parquet(str(path))
    assert [i.id for i in iter_items([tmp_path])] == ["plain:0", "plain:1"]  # a folder reads its Parquet files


def test_a_saved_dataset_folder_is_read_memory_mapped(tmp_path: Path):
    rows = [{**row, "id": f"{row['id']}{i}"} for i in range(ROWS_PER_READ + 1) for row in ROWS]  # ids are unique
    Dataset.from_list(rows).save_to_disk(str(tmp_path / "saved"))
    items = list(iter_items([tmp_path / "saved"]))
    assert len(items) == 2 * (ROWS_PER_READ + 1) and items[-1].source == f"{tmp_path / 'saved'}:{len(items) - 1}"


def test_an_in_memory_dataset_keeps_python_values_whatever_its_format():
    dataset = Dataset.from_list(ROWS).with_format("numpy")
    assert [(i.id, i.text) for i in iter_dataset(dataset, "ds")] == [("a", "First text."), ("b", ROWS[1]["text"])]


@pytest.mark.parametrize("columns, message", [
    ({"body": ["x"]}, r"needs a \"text\" column; it has \['body'\]"),
    ({"text": [3]}, r":0: \"text\" must be a string, got int"),
    ({"text": ["fine", " "]}, r"bad.parquet:1: the text is empty"),
    ({"id": ["a", "b", "a"], "text": ["x", "y", "z"]},
     r"bad.parquet:2 \[a\]: duplicate document id 'a' \(first in .*bad.parquet:0\)"),
])
def test_bad_datasets_are_named(tmp_path: Path, columns: dict, message: str):
    path = tmp_path / "bad.parquet"
    Dataset.from_dict(columns).to_parquet(str(path))
    with pytest.raises(CorpusError, match=message):
        list(iter_items([path]))


def test_a_dataset_dict_asks_for_one_split(tmp_path: Path):
    DatasetDict({"train": Dataset.from_list(ROWS)}).save_to_disk(str(tmp_path / "dd"))
    with pytest.raises(CorpusError, match=r"a DatasetDict \(splits train\): give one split's folder, e.g. .*dd/train"):
        list(iter_items([tmp_path / "dd"]))
    assert [i.id for i in iter_items([tmp_path / "dd" / "train"])] == ["a", "b"]


def test_a_file_that_is_not_parquet_is_named(tmp_path: Path):
    path = tmp_path / "broken.parquet"
    path.write_text("not parquet")
    with pytest.raises(CorpusError, match=r"broken.parquet: not a readable Parquet file"):
        list(iter_items([path]))


def test_a_repeated_id_is_refused_as_it_streams(tmp_path: Path):
    """Across files too (``x.txt`` and a JSONL line ``"id": "x"``), and only when it comes: what is before it
    is yielded first, nothing is read ahead."""
    (tmp_path / "x.txt").write_text("A text.", encoding="utf-8")
    (tmp_path / "y.jsonl").write_text('{"id": "y", "text": "Fine."}\n{"id": "x", "text": "Again."}\n', encoding="utf-8")
    items = iter_items([tmp_path / "x.txt", tmp_path / "y.jsonl"])
    assert [next(items).id, next(items).id] == ["x", "y"]
    with pytest.raises(CorpusError, match=r"y.jsonl:2 \[x\]: duplicate document id 'x' \(first in .*x.txt\)"):
        next(items)


def test_empty_texts_and_byte_order_marks(tmp_path: Path):
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbfText.")
    (tmp_path / "bom.jsonl").write_bytes(b'\xef\xbb\xbf{"text": "x"}\n\xef\xbb\xbf{"text": "y"}\n')
    assert [i.text for i in iter_items(["-"], stdin=io.BytesIO(b"\xef\xbb\xbfText."))] == ["Text."]
    assert [i.text for i in iter_items([tmp_path / "bom.txt"])] == ["Text."]
    assert [i.text for i in iter_items([tmp_path / "bom.txt"], encoding="latin-1")] == ["\xef\xbb\xbfText."]
    items = iter_items([tmp_path / "bom.jsonl"])
    assert next(items).text == "x"
    # only the mark that starts the file
    with pytest.raises(CorpusError, match=r"bom.jsonl:2: invalid JSON: Unexpected UTF-8 BOM .* at column 1$"):
        next(items)
    with pytest.raises(CorpusError, match=r"<stdin>: the text is empty"):
        list(iter_items(["-"], stdin=io.BytesIO(b"\xef\xbb\xbf \n")))


@pytest.mark.parametrize("data, encoding, message", [
    ("Cities should ban cars.".encode("utf-16-le"), "utf-8", "at character 1: UTF-16 read as utf-8? pass --encoding "
                                                             "utf-16-le"),
    ("Cities should ban cars.".encode("utf-16-be"), "utf-8", "at character 0: UTF-16 read as utf-8? pass --encoding "
                                                             "utf-16-be"),
    ("Cities should ban cars.".encode("utf-16"), "latin-1", "at character 3: UTF-16 read as latin-1? pass --encoding "
                                                            "utf-16"),  # the codec reads the byte order mark
    (b"Cities should\x00 ban cars.", "utf-8", "at character 13, which no text of prose holds: remove it"),
])
def test_a_text_file_with_a_nul_character_is_refused_with_what_to_do(tmp_path: Path, data: bytes, encoding: str,
                                                                     message: str):
    """UTF-16 read as UTF-8 decodes without an error, a NUL beside every letter: it would be labelled as noise."""
    (tmp_path / "in.txt").write_bytes(data)
    with pytest.raises(CorpusError) as refused:
        list(iter_items([tmp_path / "in.txt"], encoding=encoding))
    assert str(refused.value) == f"{tmp_path / 'in.txt'}: a NUL character {message}"
    if "pass --encoding" in message:  # and what it says to pass reads the text
        assert [i.text for i in iter_items([tmp_path / "in.txt"], encoding=message.split()[-1])] == \
            ["Cities should ban cars."]


def test_a_nul_in_stdin_is_refused_and_a_jsonl_text_keeps_its_own(tmp_path: Path):
    with pytest.raises(CorpusError, match=r"<stdin>: a NUL character at character 1"):
        list(iter_items(["-"], stdin=io.BytesIO("Cities.".encode("utf-16-le"))))
    (tmp_path / "nul.jsonl").write_text('{"text": "a\\u0000b"}\n', encoding="utf-8")  # a string its writer meant
    assert [i.text for i in iter_items([tmp_path / "nul.jsonl"])] == ["a\x00b"]


def test_a_utf16_file_with_its_byte_order_mark_is_named_as_utf16(tmp_path: Path):
    (tmp_path / "bom.txt").write_bytes("Cities should ban cars.".encode("utf-16"))
    with pytest.raises(CorpusError, match=r"bom.txt: not valid utf-8: byte 0xff .* \(e.g. utf-16\)$"):
        list(iter_items([tmp_path / "bom.txt"]))


def test_a_null_id_is_no_id_and_a_list_is_refused(tmp_path: Path):
    lines = tmp_path / "ids.jsonl"
    lines.write_text('{"id": null, "text": "One."}\n{"id": null, "text": "Two."}\n', encoding="utf-8")
    assert [item.id for item in iter_items([lines])] == ["ids:1", "ids:2"]
    lines.write_text('{"id": ["x"], "text": "One."}\n', encoding="utf-8")
    with pytest.raises(CorpusError, match=r'ids.jsonl:1: "id" must be a string or a whole number, got list'):
        list(iter_items([lines]))


def test_a_json_file_is_refused_not_labelled_as_prose(tmp_path: Path):
    (tmp_path / "export.json").write_text('[{"data": {"text": "Cats rule."}}]', encoding="utf-8")
    with pytest.raises(CorpusError, match=r"export.json: a .json file is no text to label"):
        list(iter_items([tmp_path / "export.json"]))


@pytest.mark.skipif(not Path("/dev/fd").is_dir(), reason="no /dev/fd on this platform")
def test_a_pipe_is_read_as_a_text_not_called_missing():
    """`mining label <(command)` names /dev/fd/63, a pipe: not a regular file, so it was "no such file or folder"."""
    import os

    read, write = os.pipe()
    try:
        os.write(write, "Cats are better pets.".encode())
        os.close(write)
        (item,) = iter_items([f"/dev/fd/{read}"])
    finally:
        os.close(read)
    assert (item.id, item.text) == (str(read), "Cats are better pets.")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this platform")
def test_a_device_is_refused_not_read_forever():
    """A pipe is read to its end; /dev/zero has none: read as one text, it would fill the memory."""
    with pytest.raises(CorpusError, match="/dev/zero: not a file, folder or pipe"):
        list(iter_items(["/dev/zero"]))


@pytest.mark.parametrize("topic", ["", "  "])
def test_a_blank_topic_is_named_not_left_to_win_over_topic(tmp_path: Path, topic: str):
    """A line's own topic wins over --topic: a blank one gave its text no stance, --topic or not, with no word why
    (a blank --topic is refused)."""
    (tmp_path / "t.jsonl").write_text(json.dumps({"id": "a", "text": "Cats rule.", "topic": topic}) + "\n",
                                      encoding="utf-8")
    with pytest.raises(CorpusError, match=r't.jsonl:1: "topic" is blank'):
        list(iter_items([tmp_path / "t.jsonl"]))
    rows = Dataset.from_dict({"text": ["Cats rule.", "Dogs rule."], "topic": ["Cats", topic]})
    with pytest.raises(CorpusError, match=r'pets:1: "topic" is blank'):
        list(iter_dataset(rows, "pets"))


@pytest.mark.parametrize("field", ["text", "id", "topic"])
def test_a_lone_surrogate_in_a_jsonl_line_is_named(tmp_path: Path, field: str):
    """JSON can escape half a UTF-16 pair, which no UTF-8 text holds: it was a UnicodeEncodeError traceback from
    spaCy (or from the Dask engine's fingerprint) after the model had loaded; now the line is named as it is read."""
    record = {"id": "doc-1", "text": "Fine text.", "topic": "X should be done"}
    record[field] = record[field][:3] + "\\ud800" + record[field][3:]
    line = "{" + ", ".join(f'"{k}": "{v}"' for k, v in record.items()) + "}"
    (tmp_path / "s.jsonl").write_text('{"id": "ok", "text": "Good."}\n' + line + "\n", encoding="utf-8")
    items = iter_items([tmp_path / "s.jsonl"])
    assert next(items).id == "ok"
    with pytest.raises(CorpusError, match=rf's.jsonl:2: invalid JSON: "{field}" holds a lone surrogate .* at '
                                          r"character 3 \(.*\) at column \d+$"):
        next(items)
