"""What students and parents read (R10, R20): «Успеваемость»."""
