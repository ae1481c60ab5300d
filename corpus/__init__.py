"""samestory's library: one module per pipeline stage.

read -> clean (+ metadata) -> sentences -> shingles -> sketch -> neighbours
     -> stories -> overlap -> render

Each stage is a few plain functions over plain data (dataclasses, numpy
arrays); `pipeline` wires them together for the commands in `cli`.
"""
