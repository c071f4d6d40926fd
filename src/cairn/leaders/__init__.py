"""Leaders: the district's own definition of personalized learning, goals with measures, outside scores,
evidence of effect, implementation fidelity, equity and on/off track per school."""
