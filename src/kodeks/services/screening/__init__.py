"""Use cases of the screening tool: questionnaires (versioned) and screenings of projects."""
