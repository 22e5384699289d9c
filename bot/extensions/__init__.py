"""Extensions: every package here is loaded by ``bot.app.NewsbriefBot``."""
