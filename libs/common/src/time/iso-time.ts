let secondStart = Number.NaN;
let secondText = '';

/**
 * `new Date(time).toISOString()`, with each second's text made once: log lines and a batch's
 * execution-log rows mostly share their seconds, and formatting a date was the costliest column of
 * a row's COPY text.
 */
export function isoTime(time: number): string {
  const millis = ((time % 1000) + 1000) % 1000;
  const start = time - millis;
  if (start !== secondStart) {
    // An invalid date throws here, as toISOString does.
    secondText = new Date(start).toISOString().slice(0, -4); // without "000Z"
    secondStart = start;
  }
  return `${secondText}${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
}
