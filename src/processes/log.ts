/** One line per event; fields as JSON, never personal data. */
export type Log = (line: string, fields?: Record<string, unknown>) => void;

export const consoleLog: Log = (line, fields) => console.log(fields ? `${line} ${JSON.stringify(fields)}` : line);
