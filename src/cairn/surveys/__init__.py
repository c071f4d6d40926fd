"""The one survey engine: short Likert surveys in windows, anonymous by default, read as scales with their
reliability and never broken down below the smallest group a district may see."""
