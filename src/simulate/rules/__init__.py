"""Regulation formulas as small, pure, vectorised functions (DESIGN 3.6, 3.7).

One module per regulation or rule family; every constant comes from ``data/reference/*.csv``:

- :mod:`simulate.rules.skm` -- citizen satisfaction survey index and grade, PermenPANRB 14/2017.
- :mod:`simulate.rules.capaian` -- indicator achievement and its value, PermenPANRB 8/2021.
- :mod:`simulate.rules.pp46_2011` -- SKP aspects, score and bands, PP 46/2011, Perka BKN 1/2013.
- :mod:`simulate.rules.pp30_2019` -- final score and bands, PP 30/2019 Art. 41.
- :mod:`simulate.rules.permenpanrb_2022` -- quadrant and distribution curve, PermenPANRB 6/2022.
- :mod:`simulate.rules.angka_kredit` -- functional credit points, PermenPANRB 1/2023, PerBKN 3/2023.
- :mod:`simulate.rules.tpp` -- allowance deductions and predikat-linked cuts.

Importing this package imports nothing else; import the module you need.
"""
