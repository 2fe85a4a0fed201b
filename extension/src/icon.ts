import { LabIcon } from '@jupyterlab/ui-components';

// "1 → 2" on a tile; jp-icon3 lets JupyterLab's themes recolour it.
const svgstr = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">
  <g class="jp-icon3" fill="#616161">
    <path d="M4.5 6h2.2v12H4.5V8.6L3 9.4V7.2z"/>
    <path d="M9 11h5.2V8.5L18 12l-3.8 3.5V13H9z"/>
    <path d="M19 6.2c1.5 0 2.6.9 2.6 2.3 0 1.1-.6 1.8-1.5 2.6l-1.4 1.3c-.6.6-1 .9-1.1 1.3H21.7V16h-5.9v-1.3c0-1.3.6-2.1 1.7-3.1l1.3-1.2c.6-.6.9-1 .9-1.6s-.4-1-1-1c-.7 0-1.1.5-1.1 1.3h-1.9c0-1.7 1.3-2.9 3.3-2.9z"/>
  </g>
</svg>`;

export const migrateIcon = new LabIcon({ name: 'tf2-migrate:icon', svgstr });
