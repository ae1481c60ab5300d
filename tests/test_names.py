"""Names and numbers, normalised so that two languages' spellings meet."""

from corpus.names import names_and_numbers, normalise, shared_names


def test_names_inside_sentences_and_numbers_count():
    found = names_and_numbers(["Rescuers reached Bima on Tuesday after the 6.1 quake.", "Some 3,200 people fled."])
    assert [key for key in found.spellings if key not in found.opening] == ["bima", "tuesday", "61", "3200"]
    assert found.spellings["3200"] == "3,200"


def test_the_first_word_of_a_sentence_is_a_name_only_if_the_other_text_has_it_inside_one():
    english = names_and_numbers(["Wagner said the jet crashed.", "The Wagner chief died.", "Officials said so."])
    other = names_and_numbers(["Officials berkata bos Wagner tewas.", "Jet itu jatuh."])
    assert shared_names(english, other) == ["Wagner"]       # "Officials" opens a sentence in both; "Jet" is "jet"
    assert "the" not in names_and_numbers(["The jet crashed.", "He saw the jet."]).spellings   # written in lower case
    assert list(names_and_numbers(["Rescuers searched the rubble.", "2024 was dry."]).opening) == ["rescuers"]


def test_case_diacritics_hyphens_and_separators_are_normalised():
    english = names_and_numbers(["The leader Kim Jong Un met officials in Pyongyang and 3,200 troops of the U.S. Army."])
    other = names_and_numbers(["Pemimpin KIM Jong-un bertemu pejabat di Pyŏngyang dan 3.200 tentara U.S Army."])
    assert shared_names(english, other) == ["Kim", "Jong", "Un", "Pyongyang", "3,200", "U.S", "Army"]
    assert normalise("Pyŏngyang") == "pyongyang" and normalise("3.200") == "3200"


def test_nothing_shared_is_an_empty_list():
    assert shared_names(names_and_numbers(["It rained in Marlow."]), names_and_numbers(["Hujan turun di Kestrel."])) == []


def test_a_possessive_is_the_name_itself():
    english = names_and_numbers(["The crash came after Putin’s talks with the Wagner chief's men in Paris."])
    other = names_and_numbers(["Kecelakaan terjadi setelah Putin bertemu Wagner di Paris."])
    assert shared_names(english, other) == ["Putin", "Wagner", "Paris"]
    assert list(names_and_numbers(["He met Ma'ruf Amin and O'Brien."]).spellings) == ["he", "maruf", "amin", "obrien"]
