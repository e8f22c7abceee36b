import { type PropsWithChildren } from 'react';
import '@nutui/nutui-react-taro/dist/styles/themes/default.css';
import './app.css';
import { applyIdentitySwitch } from './platform/login';
import { clearSession } from './services/session';

if (applyIdentitySwitch()) clearSession();

function App({ children }: PropsWithChildren) {
  return children;
}

export default App;
