// `npm start`: run the service. (Client build-if-stale is added with the client.)
import '../server/main.js';
