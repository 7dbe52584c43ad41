"""Feedback's models, one module per part: surveys, invitations and answers (`surveys`),
personas (`personas`)."""
