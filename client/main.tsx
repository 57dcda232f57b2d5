import { createRoot } from 'react-dom/client';
import { App } from './pages/App';
import './styles.css';

createRoot(document.getElementById('root')!).render(<App />);
