"""Pieces every public form and e-mail of Maillage shares: signed links, abuse
protection (honeypot + rate limit), and bilingual multipart e-mail."""
