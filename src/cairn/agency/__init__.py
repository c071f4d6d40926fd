"""Student agency: weekly goals and pacing, reflections, and the student's voice to the teacher."""
