// Where `start-lambda` keeps its async journal, destination records, code copies and logs unless told.

/** The default state folder, relative to the working folder. */
export const DEFAULT_STATE_DIR = '.lambda-twin';
