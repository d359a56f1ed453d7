/** DICOM PN `FAMILY^GIVEN^MIDDLE^PREFIX^SUFFIX` (first, alphabetic group) → `FAMILY, GIVEN MIDDLE`. */
export function formatPersonName(pn: string): string {
  const [family = '', given = '', middle = '', prefix = '', suffix = ''] = pn.split('=')[0].split('^');
  const first = [prefix, given, middle].filter(Boolean).join(' ');
  const name = [family, first].filter(Boolean).join(', ');
  return [name, suffix].filter(Boolean).join(' ') || pn;
}

/** DICOM DA `YYYYMMDD` → `YYYY-MM-DD`; anything else as it is. */
export function formatDate(da: string): string {
  return /^\d{8}$/.test(da) ? `${da.slice(0, 4)}-${da.slice(4, 6)}-${da.slice(6, 8)}` : da;
}
