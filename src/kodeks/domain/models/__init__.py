"""Information models (begrebs-, informations- og datamodeller) under the Danish model rules.

Pure: the model's elements (``elements``), the model as a whole with its counts and integrity rules
(``model``), its JSON codec (``codec``), the difference of two versions (``diff``) and the machine
checkable model rules (``rules``). Readers and writers live in ``kodeks.formats.models_*``.
"""
