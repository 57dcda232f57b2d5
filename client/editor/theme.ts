import type { EditorThemeClasses } from 'lexical';

/** Class names Lexical puts on the notes' DOM; styled in styles.css. */
export const theme: EditorThemeClasses = {
  paragraph: 'n-p',
  heading: { h1: 'n-h1', h2: 'n-h2', h3: 'n-h3', h4: 'n-h4', h5: 'n-h5', h6: 'n-h6' },
  quote: 'n-quote',
  link: 'n-link',
  text: { bold: 'n-bold', italic: 'n-italic', underline: 'n-underline', strikethrough: 'n-strike', code: 'n-code' },
  list: {
    ul: 'n-ul',
    ol: 'n-ol',
    checklist: 'n-check',
    listitem: 'n-li',
    listitemChecked: 'n-li-checked',
    listitemUnchecked: 'n-li-unchecked',
    nested: { listitem: 'n-li-nested' },
  },
  table: 'n-table',
  tableScrollableWrapper: 'n-table-scroll',
  tableRow: 'n-tr',
  tableCell: 'n-td',
  tableCellHeader: 'n-th',
  tableSelection: 'n-table-selection',
  tableCellSelected: 'n-td-selected',
};
