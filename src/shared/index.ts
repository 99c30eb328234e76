/** The contracts every layer shares: error codes and `SwitchboardError`, and the ToolSource shapes. No I/O. */
export { ERROR_CODES, SwitchboardError, toSwitchboardError, renderError, errorEnvelope, type ErrorCode } from './errors.js';
export { EMPTY_LISTING, type RawItem, type SourceListing, type ListKind } from './tool-source.js';
