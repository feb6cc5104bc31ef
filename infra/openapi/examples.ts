/** The ids, times and token every example of the OpenAPI document shows, so the examples tell one story. */
export const ID = '01HV6MEARQD3X8ZXXX5FR3YDB8';
export const SIGNER_ID = '01HV6MEARQD3X8ZXXX5FR3YDB9';
export const REPLACEMENT_ID = '01HV6MF2Q8V4W7T3J5N9B2C6DA';
export const REPLACEMENT_SIGNER_ID = '01HV6MF2Q8V4W7T3J5N9B2C6DB';
export const AT = '2030-01-02T09:30:00.000Z';
export const SIGNING_TOKEN = `${ID}.${SIGNER_ID}.JzV6c2lnbmluZy1zZWNyZXQtZXhhbXBsZQ`;
export const DOCUMENT_ID = '01HV6MD1X7Y8Z9A0B1C2D3E4F5';
/** The signer a PATCH put in SIGNER_ID's place. */
export const CHANGED_SIGNER_ID = '01HV6MG5K2M7P9R1S3T5V7W9XA';
