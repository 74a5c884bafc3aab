"""Word lookup: an Arabic word of an article, clicked, tapped or reached from the keyboard, with each
plausible analysis (vowelled form, lemma, root, part of speech, clitics, English gloss), for readers
still learning Arabic; `/api/words/?w=` gives the same to scripts. The analysers are `arabic`'s
(`lexicon`, `morphology`); the panel is static/js/words.js."""
