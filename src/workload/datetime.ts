/**
 * Parses "YYYY-MM-DD HH:MM:SS" (or with a 'T') as UTC and returns Unix seconds,
 * or NaN if the text is not exactly that shape or a field is out of range. Years
 * outside [MIN_YEAR, MAX_YEAR] are out of range: a year-0000 placeholder would
 * otherwise become the trace's time origin and push every real job millennia later.
 *
 * Traces give local wall-clock times without a zone (Philly: US Pacific; Helios:
 * China). Reading them as UTC keeps the arithmetic free of daylight-saving
 * jumps and host time zones; only differences are used (times are rebased to
 * the trace's first submission), so the absolute zone does not matter.
 */
export const MIN_YEAR = 1970;
export const MAX_YEAR = 2200;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : NaN;
}

export function parseDateTimeUtc(s: string): number {
  if (s.length !== 19) return NaN;
  const c10 = s.charCodeAt(10);
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || (c10 !== 32 && c10 !== 84)) return NaN;
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return NaN;
  const year = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3);
  const month = digit(s, 5) * 10 + digit(s, 6);
  const day = digit(s, 8) * 10 + digit(s, 9);
  const hour = digit(s, 11) * 10 + digit(s, 12);
  const min = digit(s, 14) * 10 + digit(s, 15);
  const sec = digit(s, 17) * 10 + digit(s, 18);
  if (!(year >= MIN_YEAR && year <= MAX_YEAR)) return NaN;
  if (!(month >= 1 && month <= 12 && day >= 1 && hour <= 23 && min <= 59 && sec <= 60)) return NaN;
  // Reject impossible days such as 2017-02-30 (a calendar would roll them over).
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (day > (month === 2 ? (leap ? 29 : 28) : DAYS_IN_MONTH[month - 1])) return NaN;
  return daysFromCivil(year, month, day) * 86400 + hour * 3600 + min * 60 + sec;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
