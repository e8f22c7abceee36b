import type { DataFilePlatform } from './index';

/** In a browser the export is a JSON file download. */
export const dataFile: DataFilePlatform = {
  kind: 'download',
  save(name, json) {
    try {
      const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      return Promise.resolve('downloaded');
    } catch {
      return Promise.resolve('failed');
    }
  },
};
