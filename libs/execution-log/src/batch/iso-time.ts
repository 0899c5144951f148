let secondStart = Number.NaN;
let secondText = '';

/**
 * `date.toISOString()`, with each second's text made once: a batch's rows mostly share their
 * seconds, and formatting a date was the costliest column of a row's COPY text.
 */
export function isoTime(date: Date): string {
  const time = date.getTime();
  const millis = ((time % 1000) + 1000) % 1000;
  const start = time - millis;
  if (start !== secondStart) {
    // An invalid date throws here, as toISOString does.
    secondText = new Date(start).toISOString().slice(0, -4); // without "000Z"
    secondStart = start;
  }
  return `${secondText}${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
}
