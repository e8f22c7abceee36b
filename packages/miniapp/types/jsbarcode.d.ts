declare module 'jsbarcode/bin/barcodes/CODE128/CODE128C' {
  export default class CODE128C {
    constructor(data: string, options: Record<string, unknown>);
    valid(): boolean;
    encode(): { data: string; text: string };
  }
}
