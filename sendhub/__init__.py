"""sendhub: support on time for children and young people with SEND."""
