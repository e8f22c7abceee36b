import { type PropsWithChildren } from 'react';
import '@nutui/nutui-react-taro/dist/styles/themes/default.css';
import './app.css';
import { login } from './platform/login';
import { clearSession } from './services/session';

if (login.applyIdentitySwitch()) clearSession();

function App({ children }: PropsWithChildren) {
  return children;
}

export default App;
