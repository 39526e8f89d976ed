"""Advice: jppint's own checks beyond the official JP PINT rules, reported in the layer "advice".

Advice never makes a document invalid (see `ValidationReport.build`); each
finding says why the official rules accept what it points at.
"""

from jppint.advice.layer import CHECKS, advice_layer

__all__ = ["CHECKS", "advice_layer"]
