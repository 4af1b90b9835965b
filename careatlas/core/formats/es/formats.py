"""Spanish as read in the United States (CLDR es-US): Django's es formats, US digits.

Django's `es` groups thousands with a point and writes decimals with a comma (1.234,5),
as in Spain. Our readers are US Spanish speakers, whose bills, prices and forms write
1,234.50 and $1,234: CLDR's es-US (and es-MX) locale does the same. Dates stay Django's
Spanish ("7 de diciembre de 2026"), which es-US shares.
"""

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
