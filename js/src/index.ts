import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import {
  EditorExtensionRegistry,
  IEditorExtensionRegistry,
  IEditorLanguageRegistry
} from '@jupyterlab/codemirror';
import { INotebookTracker } from '@jupyterlab/notebook';
import { LanguageSupport, syntaxHighlighting } from '@codemirror/language';
import { classHighlighter } from '@lezer/highlight';

import { marksExtension } from './editor';
import { MINIDAFNY_MIME, miniDafny } from './language';
import { watchNotebooks } from './notebook';

const plugin: JupyterFrontEndPlugin<void> = {
  id: 'minidafny-jupyterlab:plugin',
  description: 'MiniDafny cells: highlighting, and the report marked in the editor.',
  autoStart: true,
  requires: [INotebookTracker, IEditorLanguageRegistry, IEditorExtensionRegistry],
  activate: (
    _app: JupyterFrontEnd,
    tracker: INotebookTracker,
    languages: IEditorLanguageRegistry,
    extensions: IEditorExtensionRegistry
  ) => {
    languages.addLanguage({
      name: 'MiniDafny',
      mime: MINIDAFNY_MIME,
      extensions: ['dfy'],
      // the `tok-*` classes name each token's kind, besides the theme's colours
      load: async () => new LanguageSupport(miniDafny, [syntaxHighlighting(classHighlighter)])
    });
    extensions.addExtension({
      name: 'minidafny:marks',
      factory: () => EditorExtensionRegistry.createImmutableExtension(marksExtension)
    });
    watchNotebooks(tracker);
  }
};

export default plugin;
